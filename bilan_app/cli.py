"""`python -m bilan_app <command>`: operations that do not need the web server."""

from __future__ import annotations

import argparse
import getpass
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


def cmd_import_rome(args: argparse.Namespace) -> int:
    """Install the ROME référentiel from the official export (a folder or the zip of unix_*_vNNN_utf8.csv)."""
    import json

    from services.i18n import translate
    from services.rome.importer import RomeImportError, import_rome

    try:
        summary = import_rome(args.path)
    except RomeImportError as exc:
        print(f"Import refusé : {exc.message()}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(summary.to_dict(), ensure_ascii=False))
        return 0
    print(translate("rome.summary.title", version=summary.version, seconds=summary.duration_s))
    if summary.previous_version and summary.previous_version != summary.version:
        print(translate("rome.summary.replaced", previous=summary.previous_version))
    for name in ("metiers", "appellations", "competences", "savoirs", "contextes", "liens", "textes", "mobilites"):
        print(f"  {translate(f'rome.count.{name}'):<28} {getattr(summary, name)}")
    return 0


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
    rome = sub.add_parser("import-rome", help="install the ROME référentiel from the official export (folder or zip)")
    rome.add_argument("path", help="the folder or zip of unix_*_vNNN_utf8.csv files")
    rome.add_argument("--json", action="store_true", help="print the summary as a JSON object")
    rome.set_defaults(func=cmd_import_rome)
    admin = sub.add_parser("create-platform-admin", help="create the SaaS operator account")
    admin.add_argument("email")
    admin.add_argument("--first-name", default="Opérateur")
    admin.add_argument("--last-name", default="Plateforme")
    admin.add_argument("--password", help="read from a prompt when omitted")
    admin.set_defaults(func=cmd_create_platform_admin)
    args = parser.parse_args(argv)
    return int(args.func(args))
