"""`python -m bilan_app <command>`: operations that do not need the web server."""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import sys

from services.settings import get_settings


def _print_logins() -> None:
    from services.demo import DEMO_PASSWORD, DEMO_PEOPLE
    from services.i18n import translate

    print(f"\nComptes de démonstration (mot de passe commun : {DEMO_PASSWORD})")
    for role, email, first_name, last_name in DEMO_PEOPLE:
        print(f"  {translate(f'role.{role}'):<28} {email:<42} {first_name} {last_name}")
    print(f"\nOuvrez {get_settings().public_url}/connexion\n")


def _refused(reason: str) -> int:
    """An import the service refused: why, on stderr, and the exit code."""
    print(f"Import refusé : {reason}", file=sys.stderr)
    return 2


def _result(args: argparse.Namespace, payload: object, lines: list[str], indent: int | None = None) -> int:
    """A command's result on stdout: ``payload`` as a JSON object with --json, otherwise ``lines``."""
    print(json.dumps(payload, ensure_ascii=False, indent=indent) if args.json else "\n".join(lines))
    return 0


def cmd_migrate(_: argparse.Namespace) -> int:
    from services.migrations import upgrade_to_head

    upgrade_to_head()
    print("Base de données à jour.")
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from services.demo import DemoModeRequired, seed_demo

    try:
        seed_demo(force=args.force)
    except DemoModeRequired as exc:
        print(f"Refusé : {exc}", file=sys.stderr)
        return 2
    print("Organisme Démo prêt.")
    _print_logins()
    return 0


def cmd_prepare(_: argparse.Namespace) -> int:
    """Migrate, then seed the demo organisation if the database is empty (used by `make run`)."""
    from services.demo import database_is_empty, seed_demo
    from services.migrations import upgrade_to_head

    upgrade_to_head()
    if get_settings().app_env == "demo":
        if database_is_empty():
            seed_demo()
            print("Base vide : Organisme Démo créé.")
        _print_logins()
    return 0


def cmd_create_platform_admin(args: argparse.Namespace) -> int:
    from services.operators import create_platform_admin

    password = args.password or getpass.getpass("Mot de passe (12 caractères au moins) : ")
    problem = create_platform_admin(args.email, args.first_name, args.last_name, password)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    print(f"Opérateur {args.email} créé.")
    return 0


def cmd_run_jobs(_: argparse.Namespace) -> int:
    from services.jobs import run_due_jobs

    results = run_due_jobs()
    for name, count in results.items():
        print(f"{name}: {count}")
    return 1 if any(count < 0 for count in results.values()) else 0


def cmd_worker(args: argparse.Namespace) -> int:
    """A queue worker (PostgreSQL): runs jobs until SIGTERM/SIGINT, or until the queue is empty (--until-idle)."""
    import asyncio
    import logging

    from services.queue import run_worker, uses_worker

    if not uses_worker():
        print(
            "La file de tâches demande PostgreSQL (DATABASE_URL) ; en mode intégré, l'application exécute "
            "les tâches elle-même.",
            file=sys.stderr,
        )
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    asyncio.run(run_worker(wait=not args.until_idle, install_signal_handlers=True, periodic=not args.until_idle))
    return 0


def cmd_import_rome(args: argparse.Namespace) -> int:
    """Install the ROME référentiel from the official export (a folder or the zip of unix_*_vNNN_utf8.csv)."""
    from services.i18n import translate
    from services.rome.importer import RomeImportError, import_rome

    try:
        summary = import_rome(args.path)
    except RomeImportError as exc:
        return _refused(exc.message())
    lines = [translate("rome.summary.title", version=summary.version, seconds=summary.duration_s)]
    if summary.previous_version and summary.previous_version != summary.version:
        lines.append(translate("rome.summary.replaced", previous=summary.previous_version))
    names = ("metiers", "appellations", "competences", "savoirs", "contextes", "liens", "textes", "mobilites")
    lines += [f"  {translate(f'rome.count.{name}'):<28} {getattr(summary, name)}" for name in names]
    return _result(args, summary.to_dict(), lines)


def cmd_import_cpf(args: argparse.Namespace) -> int:
    """Install the public catalogue of CPF-eligible courses (Caisse des Dépôts open data CSV)."""
    import dataclasses

    from services.i18n import translate
    from services.training.cpf_import import CpfImportError, import_cpf_catalogue

    try:
        summary = import_cpf_catalogue(args.path)
    except CpfImportError as exc:
        return _refused(translate(exc.code, **exc.params))
    payload = dataclasses.asdict(summary)
    counts = {name: value for name, value in payload.items() if name != "duration_s"}
    return _result(args, payload, [translate("training.import.summary", seconds=summary.duration_s, **counts)])


def cmd_sync_rome(args: argparse.Namespace) -> int:
    """Bring the installed ROME référentiel up to date from France Travail's ROME 4.0 APIs."""
    from services.errors import ServiceError
    from services.francetravail import FranceTravailClient, FranceTravailError
    from services.francetravail.sync import sync_rome
    from services.i18n import translate

    settings = get_settings()
    if not settings.france_travail_configured:
        print(translate("francetravail.error.not_configured"), file=sys.stderr)
        print(
            "Renseignez FRANCE_TRAVAIL_CLIENT_ID et FRANCE_TRAVAIL_CLIENT_SECRET (compte francetravail.io).",
            file=sys.stderr,
        )
        return 2
    try:
        with FranceTravailClient.from_settings(settings) as client:
            summary = sync_rome(client, args.codes or None)
    except FranceTravailError as exc:
        print(translate("francetravail.sync.failed", message=exc.message()), file=sys.stderr)
        return 1
    except ServiceError as exc:  # no référentiel installed
        print(translate(exc.code), file=sys.stderr)
        return 2
    lines = [translate("francetravail.sync.title", version=summary.version)]
    names = ("metiers", "metiers_changed", "riasec_changed", "textes", "appellations_added", "appellations_updated")
    lines += [f"  {translate(f'francetravail.sync.count.{name}'):<28} {getattr(summary, name)}" for name in names]
    missing = ", ".join(summary.missing[:10]) + ("…" if len(summary.missing) > 10 else "")
    lines.append(f"  {translate('francetravail.sync.count.missing'):<28} {len(summary.missing)} {missing}".rstrip())
    return _result(args, summary.to_dict(), lines)


def cmd_recommend(args: argparse.Namespace) -> int:
    """Recommend target métiers for a profile (JSON file) with the local matching engine."""
    from services.i18n import translate
    from services.matching import ProfileError, get_index, load_profile, recommend
    from services.matching.report import render_text

    if not 1 <= args.top <= 500:
        print(translate("matching.cli.bad_top"), file=sys.stderr)
        return 2
    try:
        profile = load_profile(args.profile)
        if get_index() is None:
            print(translate("matching.cli.no_referentiel"), file=sys.stderr)
            return 2
        result = recommend(profile, top=args.top, strict=True)
    except ProfileError as exc:
        print(exc.message(), file=sys.stderr)
        return 2
    if profile.is_empty:
        print(translate("matching.cli.empty"), file=sys.stderr)
        return 2
    return _result(args, result.to_dict(), [render_text(result)], indent=2)


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser(prog="python -m bilan_app", description="BilanCompetence.AI operations")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply the database migrations").set_defaults(func=cmd_migrate)
    seed = sub.add_parser("seed-demo", help="create the demo organisation (demo mode only)")
    seed.add_argument("--force", action="store_true", help="run even outside demo mode")
    seed.set_defaults(func=cmd_seed_demo)
    sub.add_parser("prepare", help="migrate, and seed the demo when the database is empty").set_defaults(
        func=cmd_prepare
    )
    sub.add_parser("run-jobs", help="send due reminders and expire overdue conventions (once)").set_defaults(
        func=cmd_run_jobs
    )
    worker = sub.add_parser("worker", help="run a job queue worker (PostgreSQL; see docs/jobs.md)")
    worker.add_argument("--until-idle", action="store_true", help="stop once no job is ready")
    worker.set_defaults(func=cmd_worker)
    rome = sub.add_parser("import-rome", help="install the ROME référentiel from the official export (folder or zip)")
    rome.add_argument("path", help="the folder or zip of unix_*_vNNN_utf8.csv files")
    rome.add_argument("--json", action="store_true", help="print the summary as a JSON object")
    rome.set_defaults(func=cmd_import_rome)
    cpf = sub.add_parser("import-cpf", help="install the public CPF training catalogue (open data CSV, ';')")
    cpf.add_argument("path", help="the moncompteformation_catalogueformation CSV export")
    cpf.add_argument("--json", action="store_true", help="print the summary as a JSON object")
    cpf.set_defaults(func=cmd_import_cpf)
    sync = sub.add_parser("sync-rome", help="update the installed ROME référentiel from the France Travail APIs")
    sync.add_argument("codes", nargs="*", help="only these ROME codes (default: every installed métier)")
    sync.add_argument("--json", action="store_true", help="print the summary as a JSON object")
    sync.set_defaults(func=cmd_sync_rome)
    admin = sub.add_parser("create-platform-admin", help="create the SaaS operator account")
    admin.add_argument("email")
    admin.add_argument("--first-name", default="Opérateur")
    admin.add_argument("--last-name", default="Plateforme")
    admin.add_argument("--password", help="read from a prompt when omitted")
    admin.set_defaults(func=cmd_create_platform_admin)
    recommend = sub.add_parser("recommend", help="recommend target métiers for a profile (local matching engine)")
    recommend.add_argument("--profile", required=True, help="the profile, a JSON file (see docs/matching.md)")
    recommend.add_argument("--top", type=int, default=10, help="how many métiers (default 10)")
    recommend.add_argument("--json", action="store_true", help="print the recommendations as a JSON object")
    recommend.set_defaults(func=cmd_recommend)
    args = parser.parse_args(argv)
    return int(args.func(args))
