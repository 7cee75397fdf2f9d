"""services.documents: the bilan's PDF documents (content, form, fonts, PDF/UA tagging, access)."""

from __future__ import annotations

import dataclasses
import io
import multiprocessing
import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from markupsafe import Markup
from PIL import Image
from pypdf import PdfReader
from sqlmodel import select

from benchmarks.pdf import CREATED, sample_synthese
from services import conventions
from services.bilans import BilanAction
from services.db import session_scope
from services.documents import records
from services.documents.action_plan import (
    ActionPlanPdfInput,
    Milestone,
    PlanAction,
    action_plan_context,
    render_action_plan_pdf,
)
from services.documents.common import Branding, branding_of, format_hours, logo_data_url, readable_colour
from services.documents.synthese import SynthesePdfInput, render_synthese_pdf, synthese_context
from services.errors import AccessDenied, NotFound, ServiceError
from services.forms import PLACE_MAX
from services.i18n import translate
from services.models import (
    AuditEvent,
    Bilan,
    BilanSession,
    BilanStatus,
    DeliveryMode,
    Organisation,
    Phase,
    SessionStatus,
)
from services.pdf import render_pdf
from services.pdf.render import FONTS_DIR, _LocalFetcher
from services.pdf.typography import NBSP, NNBSP, ZWSP, breakable, french_typography
from services.skills.cartography import GroupStat
from tests.unit.test_conventions import CONSULTANT_CLIENT
from tests.unit.test_conventions import make_bilan as make_convention_bilan

ROOT = Path(__file__).resolve().parents[2]
BRAND = Branding(name="Cabinet Alpha Conseil", colour="#0f766e", siret="33514171953640", nda_number="11755555575")
ACCENTS = ("é", "è", "à", "ç", "œ", "«", "»")


# ---------------------------------------------------------------- PDF tools (poppler, pypdf)


def _run(command: list[str], content: bytes, tmp_path: Path) -> str:
    """``command`` run on the PDF (its path replaces "{}"); its standard output."""
    path = tmp_path / f"{uuid.uuid4().hex}.pdf"
    path.write_bytes(content)
    arguments = [str(path) if part == "{}" else part for part in command]
    return subprocess.run(arguments, capture_output=True, check=True, text=True).stdout


def pdf_text(content: bytes, tmp_path: Path) -> str:
    """The text, one space between words; words hyphenated at a line end (U+2010) are joined again."""
    text = _run(["pdftotext", "{}", "-"], content, tmp_path)
    return " ".join(text.replace("\u2010\n", "").split())


def squeezed(text: str) -> str:
    """Without any space: pdftotext drops some no-break spaces, and table rows are compared this way."""
    return re.sub(r"\s+", "", text)


def pdf_info(content: bytes, tmp_path: Path) -> dict[str, str]:
    lines = _run(["pdfinfo", "{}"], content, tmp_path).splitlines()
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in lines)}


def pdf_fonts(content: bytes, tmp_path: Path) -> set[str]:
    """The embedded fonts' names, without their subset prefix ("ABCDEF+")."""
    rows = _run(["pdffonts", "{}"], content, tmp_path).splitlines()[2:]
    return {row.split()[0].partition("+")[2] for row in rows}


def structure(content: bytes) -> tuple[dict[str, int], list[str]]:
    """The PDF/UA structure tree: how many elements of each type, and the figures' alternative texts."""
    counts: dict[str, int] = {}
    alternatives: list[str] = []

    def walk(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            kind = str(node.get("/S", ""))
            counts[kind] = counts.get(kind, 0) + 1
            if kind == "/Figure":
                alternatives.append(str(node.get("/Alt", "")))
            if "/K" in node:
                walk(node["/K"])

    walk(PdfReader(io.BytesIO(content)).trailer["/Root"]["/StructTreeRoot"])
    return counts, alternatives


def catalog(content: bytes) -> dict:
    return PdfReader(io.BytesIO(content)).trailer["/Root"]


# ---------------------------------------------------------------- typography and Markdown


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pourquoi ? Oui ; non ! Voici : la suite", f"Pourquoi{NNBSP}? Oui{NNBSP}; non{NNBSP}! Voici{NBSP}: la suite"),
        ("«mot» et « mot »", f"«{NNBSP}mot{NNBSP}» et «{NNBSP}mot{NNBSP}»"),
        ("10 000 € et 1 250 000 heures", f"10{NNBSP}000{NBSP}€ et 1{NNBSP}250{NNBSP}000{NBSP}heures"),
        ("24 h, 35 %, 6 mois, le n° 12", f"24{NBSP}h, 35{NBSP}%, 6{NBSP}mois, le n°{NBSP}12"),
        ("de 22 h 30 à 23 h 5", f"de 22{NBSP}h{NBSP}30 à 23{NBSP}h 5"),
        # Left alone: no space to replace, a time, a URL, a year next to a year, a word after a number.
        ("Pourquoi? 10:30 https://exemple.fr/?q=1 2024 2025 3 habitants", None),
        ("", None),
    ],
)
def test_french_typography(text, expected):
    assert french_typography(text) == (text if expected is None else expected)
    assert french_typography(french_typography(text)) == french_typography(text)  # idempotent


def test_markdown_is_safe_typeset_and_keeps_the_heading_order():
    """A section's text as the synthèse's template gets it (services.markdown, French typography on)."""
    markdown = (
        "## Projet\n\nUn « **mot** » : oui !\n\n<script>alert(1)</script> [lien](javascript:alert(1)) "
        "[site](https://exemple.fr) ![logo](https://exemple.fr/logo.png) ![x](file:///etc/passwd)\n\n"
        "#### Détail\n\n# Autre\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~barré~~"
    )
    html = synthese_context(_small_synthese(sections=[("projet", "Projet", markdown)]))["sections"][0]["html"]
    assert isinstance(html, Markup)  # inserted as is by the autoescaped template
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert '<a href="https://exemple.fr" rel="nofollow noopener noreferrer">site</a>' in html
    assert "<img" not in html and "logo.png" not in html and "site</a> logo" in html  # an image is its alt text
    assert 'href="file' not in html and "src=" not in html
    assert f"«{NNBSP}<strong>mot</strong>{NNBSP}»{NBSP}: oui{NNBSP}!" in html
    assert re.findall(r"<h(\d)>", html) == ["3", "4", "3"]  # under the section's h2, no level skipped
    assert "<table>" in html and "<s>barré</s>" in html


def test_helpers():
    assert format_hours(22 * 60 + 30) == f"22{NBSP}h{NBSP}30" and format_hours(24 * 60) == f"24{NBSP}h"
    assert readable_colour("#0f766e") == "#0f766e"  # already readable on white
    yellow = readable_colour("#fde047")
    assert yellow != "#fde047" and yellow.startswith("#") and len(yellow) == 7
    assert readable_colour("red; } body { display: none") == readable_colour("") == "#1d4ed8"
    assert logo_data_url(b"<svg onload='x'/>") == "" and logo_data_url(None) == ""
    assert logo_data_url(b"\x89PNG\r\n\x1a\nrest").startswith("data:image/png;base64,")
    organisation = Organisation(
        name="Cabinet Alpha", slug="alpha", siret="33514171953640", brand_primary_color="#abcdef"
    )
    assert branding_of(organisation) == Branding("Cabinet Alpha", "#abcdef", None, "33514171953640", "", "")


def test_documents_fetch_only_the_shipped_fonts_and_data_urls(tmp_path):
    fetcher = _LocalFetcher()
    font = fetcher.fetch((FONTS_DIR / "DejaVuSans.ttf").as_uri())
    assert font.read(4) == b"\x00\x01\x00\x00"
    font.close()
    assert fetcher.fetch("data:text/plain;base64,b2s=").read() == b"ok"
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    for url in (secret.as_uri(), (FONTS_DIR / ".." / "render.py").as_uri(), "http://127.0.0.1:9/x.png"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


# ---------------------------------------------------------------- the synthèse


@pytest.fixture(scope="module")
def synthese_pdf() -> bytes:
    return render_synthese_pdf(sample_synthese(), created=CREATED)


def test_the_synthese_has_its_cover_contents_sections_charts_and_page_numbers(synthese_pdf, tmp_path):
    text = pdf_text(synthese_pdf, tmp_path)
    assert pdf_info(synthese_pdf, tmp_path)["Pages"] == "12"
    # Cover: branding, names, hours, version, confidentiality (L6313-4).
    assert "Organisme Démo – Bilans & Transitions Document de synthèse" in text
    assert "Durée réalisée 22 h 30 d'accompagnement sur 24 h prévues" in text
    assert "3, validée le 12 juin 2026" in text and "du 12 janvier 2026 au 12 juin 2026" in text
    assert "Document remis au seul bénéficiaire (article L6313-4 du Code du travail)" in text
    # Table of contents with page numbers, then every section in that order.
    contents = text[text.index("Sommaire") : text.index("Page 2 sur 12")]
    entries = re.findall(r"(\d+)\. ([^.]+?) ?\.{3,} ?(\d+)", contents)
    titles = [section.title for section in sample_synthese().sections]
    assert [title for _, title, _ in entries] == titles
    pages = [int(page) for _, _, page in entries]
    assert pages == sorted(pages) and pages[0] == 3 and pages[-1] <= 12
    body = text[text.index("Page 2 sur 12") :]
    positions = [body.index(f"{number}. {title}") for number, title, _ in entries]
    assert positions == sorted(positions)
    # Page numbers in the footer ("Page 3 sur 12"), not on the cover.
    assert "Page 3 sur 12" in text and "Page 12 sur 12" in text and "Page 1 sur 12" not in text
    assert text.count("Synthèse de Léa Dubois – version 3 – confidentiel, remis au seul bénéficiaire") == 11
    # Accents, French typography and figures.
    for character in ACCENTS:
        assert character in text
    assert "Étapes de mise en œuvre" in text and "« Réduire nos déchets »" in text
    assert "18 000 € par an" in text
    # The charts' figures, as text: the skills map and the RIASEC profile with the Holland code.
    assert "Organisation et coordination de projets 3,5 / 4 6 compétences, dont 5 maîtrisées" in text
    assert "Social (S) 83 / 100" in text and "Réaliste (R) 18 / 100" in text
    assert "Son code de Holland est donc SIC" in text


def test_the_synthese_is_tagged_pdf_ua_with_the_charts_described(synthese_pdf, tmp_path):
    info = pdf_info(synthese_pdf, tmp_path)
    assert info["Tagged"] == "yes" and info["Title"] == "Document de synthèse – bilan de compétences de Léa Dubois"
    assert info["Author"] == "Organisme Démo – Bilans & Transitions"
    root = catalog(synthese_pdf)
    assert str(root["/Lang"]) == "fr" and bool(root["/MarkInfo"]["/Marked"])
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()
    counts, alternatives = structure(synthese_pdf)
    assert counts["/H1"] == 1 and counts["/H2"] == 11 and counts["/Table"] >= 5 and counts["/TH"] > 20
    assert len(alternatives) == 2
    skills, interests = alternatives
    assert (
        skills.startswith("Cartographie des compétences")
        and "Organisation et coordination de projets, 3,5 / 4" in skills
    )
    assert "code Holland SIC" in interests and "Social 83 / 100" in interests


def test_the_synthese_embeds_only_the_shipped_fonts(synthese_pdf, tmp_path):
    assert pdf_fonts(synthese_pdf, tmp_path) == {"BilanSans", "BilanSans-Bold", "BilanSans-Italic"}


def test_the_same_synthese_gives_the_same_bytes(synthese_pdf):
    assert render_synthese_pdf(sample_synthese(), created=CREATED) == synthese_pdf
    later = render_synthese_pdf(sample_synthese(), created=CREATED + timedelta(days=1))
    assert later != synthese_pdf  # the date is part of the document, never the clock


@dataclass(frozen=True)
class Section:  # the shape of services.synthese.PdfSection
    key: str
    title: str
    markdown: str


def _small_synthese(**changes) -> SynthesePdfInput:
    data = sample_synthese()
    fields = {**data.__dict__, "sections": [Section("circonstances", "Circonstances", "Un texte.")], **changes}
    return SynthesePdfInput(**fields)


def test_the_synthese_takes_the_services_rows_as_they_are(tmp_path):
    """Sections with key/title/markdown attributes, plain tuples, and the skills map's GroupStat rows."""
    groups = [GroupStat(label="Relation client", count=4, average_level=2.5, strong=1)]
    sections = [Section("competences", "Compétences", "Texte."), ("projet", "Projet", "Un *projet*.")]
    text = pdf_text(
        render_synthese_pdf(_small_synthese(sections=sections, skill_groups=groups), created=CREATED), tmp_path
    )
    assert "1. Compétences" in text and "2. Projet" in text and "3. Annexe" in text
    assert squeezed("Relation client 2,5 / 4 4 compétences, dont 1 maîtrisée") in squeezed(text)


def test_a_working_version_says_so_and_charts_without_their_section_go_to_an_appendix(tmp_path):
    logo = io.BytesIO()
    Image.new("RGB", (60, 20), "#0f766e").save(logo, "PNG")
    content = render_synthese_pdf(
        _small_synthese(validated_at=None, organisation=Branding("Cabinet Alpha", logo=logo.getvalue())),
        created=CREATED,
    )
    text = pdf_text(content, tmp_path)
    assert "version de travail, non validée" in text and "n'est pas encore validé" in text
    assert "2. Annexe : cartographie des compétences et profil d'intérêts" in text
    assert "Social (S) 83 / 100" in text
    images = _run(["pdfimages", "-list", "{}"], content, tmp_path).splitlines()[2:]
    assert len(images) == 1  # the logo
    _, alternatives = structure(content)
    assert "Logo de Cabinet Alpha" in alternatives


# ---------------------------------------------------------------- the action plan

PLAN = ActionPlanPdfInput(
    organisation=BRAND,
    beneficiary_name="Léa Dubois",
    consultant_name="Claire Martin",
    project="Chargée de mission RSE en entreprise industrielle",
    updated_at=datetime(2026, 6, 10, 9, tzinfo=UTC),
    actions=[
        PlanAction(
            title="Suivre la formation « Management environnemental »",
            description="S'inscrire à la formation certifiante de 140 h du CNAM, à distance.",
            indicator="Certification obtenue avant décembre 2026",
            means="CPF : 2 850 € disponibles ; deux soirées par semaine",
            project_link="Compétence exigée par huit offres sur dix",
            deadline=date(2026, 12, 15),
            owner="Bénéficiaire",
            status="En cours",
            milestones=[
                Milestone("Dossier CPF déposé", date(2026, 4, 15), True),
                Milestone("Projet de fin de formation"),
            ],
            link="Formation : Management environnemental et économie circulaire",
        ),
        PlanAction(
            title="Présenter le bilan du projet « déchets » à la direction",
            description="Proposer d'élargir la mission à la démarche RSE.",
            indicator="Entretien obtenu avec le directeur général",
            means="Bilan chiffré : 18 000 € par an",
            project_link="Première expérience RSE reconnue",
            deadline=None,
            owner="Consultant·e",
            status="À faire",
        ),
    ],
)


def _words_in_order(fragment: str, text: str) -> bool:
    """The fragment's words appear in ``text`` in that order (other text may come in between)."""
    position = 0
    for word in fragment.split():
        position = text.find(word, position)
        if position < 0:
            return False
        position += len(word)
    return True


def test_the_action_plan_lists_every_smart_part(tmp_path):
    content = render_action_plan_pdf(PLAN, created=CREATED)
    text = pdf_text(content, tmp_path)
    info = pdf_info(content, tmp_path)
    assert info["Pages"] == "1" and info["Tagged"] == "yes" and "841.89 x 595.276" in info["Page size"]  # landscape
    for part in ("spécifique", "mesurable", "atteignable", "réaliste", "temporel"):
        assert f"({part})" in text
    # The cells wrap and pdftotext reads a table row by row of lines: each part is checked on its own.
    for fragment in (
        "Suivre la formation « Management environnemental »",
        "S'inscrire à la formation certifiante de 140 h du CNAM, à distance.",
        "Certification obtenue avant décembre 2026",
        "CPF : 2 850 € disponibles ; deux soirées par semaine",
        "Compétence exigée par huit offres sur dix",
        "15 décembre 2026",
        "• Dossier CPF déposé – 15 avril 2026 (atteint)",
        "Lié à : Formation : Management environnemental et économie circulaire",
        "Bénéficiaire En cours",
        "Consultant·e À faire",
        "à fixer",
    ):
        assert _words_in_order(fragment, text), fragment
    assert "Plan d'action de Léa Dubois – confidentiel, remis au seul bénéficiaire" in text
    assert pdf_fonts(content, tmp_path) <= {"BilanSans", "BilanSans-Bold", "BilanSans-Italic"}
    assert render_action_plan_pdf(PLAN, created=CREATED) == content


def test_documents_do_not_depend_on_the_system_fonts(tmp_path):
    """With no font at all in fontconfig, a document is the same, byte for byte."""
    config = tmp_path / "fonts.conf"
    config.write_text(f'<?xml version="1.0"?><fontconfig><cachedir>{tmp_path / "cache"}</cachedir></fontconfig>')
    script = (
        "import sys; from tests.unit.test_documents import PLAN, CREATED; "
        "from services.documents.action_plan import render_action_plan_pdf; "
        "sys.stdout.buffer.write(render_action_plan_pdf(PLAN, created=CREATED))"
    )
    environment = {**os.environ, "FONTCONFIG_FILE": str(config), "PYTHONPATH": str(ROOT)}
    isolated = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", script], capture_output=True, check=True, cwd=ROOT, env=environment
    ).stdout
    assert isolated == render_action_plan_pdf(PLAN, created=CREATED)


def test_a_plain_pdf_is_still_possible(tmp_path):
    content = render_pdf("action_plan.html", {**action_plan_context(PLAN), "created": CREATED}, variant=None)
    assert pdf_info(content, tmp_path)["Tagged"] == "no"


# ---------------------------------------------------------------- long texts and the time limit


def _attendance_with_place(place: str) -> records.BilanRecordInput:
    line = records.SessionLine(
        phase=Phase.PRELIMINAIRE,
        starts_at=CREATED,
        duration_minutes=60,
        mode=DeliveryMode.PRESENTIEL,
        location=place,
        held=True,
        beneficiary_confirmed_at=CREATED,
        consultant_confirmed_at=CREATED,
    )
    return records.BilanRecordInput(
        organisation=BRAND,
        beneficiary_name="Léa Dubois",
        consultant_name="Claire Martin",
        signatory_name="Claire Martin",
        signatory_role="consultant·e",
        status=BilanStatus.CONCLUSION,
        closed_at=None,
        funding="CPF (Mon Compte Formation)",
        edof_file_number="",
        mode=DeliveryMode.PRESENTIEL,
        minutes_planned_total=24 * 60,
        sessions=[line],
    )


def _render_seconds(render: Callable[[], bytes]) -> float:
    """The best of two renders' wall time: the render runs in a child process, and the machine is shared."""
    times = []
    for _ in range(2):
        started = time.perf_counter()
        render()
        times.append(time.perf_counter() - started)
    return min(times)


def test_long_runs_get_break_opportunities_and_words_keep_theirs():
    assert breakable("anticonstitutionnellement Marie-Christine-Élisabeth") == (
        "anticonstitutionnellement Marie-Christine-Élisabeth"
    )
    broken = breakable("x" * 100)
    assert broken.replace(ZWSP, "") == "x" * 100 and max(len(part) for part in broken.split(ZWSP)) <= 12


def test_the_attendance_sheet_prints_a_place_of_the_longest_length_whole(tmp_path):
    place = "Salle " + "Z" * (PLACE_MAX - 6)
    text = pdf_text(records.render_attendance_pdf(_attendance_with_place(place), created=CREATED), tmp_path)
    # Each of its lines is there (pdftotext reads a table line by line, across the row's cells).
    assert "Salle" in text and text.count("Z") == PLACE_MAX - 6 and ZWSP not in text


@pytest.mark.parametrize("kind", ["attendance", "plan"])
def test_rendering_a_long_unbroken_text_takes_linear_time(kind):
    """An 8× longer word must not take ~64× longer (WeasyPrint re-shapes an unbreakable word's rest per line)."""

    def render(size: int) -> Callable[[], bytes]:
        word = "x" * size
        if kind == "attendance":
            return lambda: records.render_attendance_pdf(_attendance_with_place(word), created=CREATED)
        action = dataclasses.replace(PLAN.actions[0], description=word, milestones=[])
        plan = dataclasses.replace(PLAN, actions=[action])
        return lambda: render_action_plan_pdf(plan, created=CREATED)

    short, long = _render_seconds(render(1500)), _render_seconds(render(12000))
    # 8× the text: linear takes at most 8× (about 3× with the fixed cost); quadratic took about 40×.
    # The margin is for a shared, busy machine.
    assert long < 10 * short, (short, long)


def test_a_render_over_its_time_limit_is_stopped_with_a_message():
    with pytest.raises(ServiceError) as caught:
        render_pdf("action_plan.html", {**action_plan_context(PLAN), "created": CREATED}, timeout=0.001)
    assert caught.value.code == "pdf.render_timeout"
    assert translate("pdf.render_timeout").startswith("Le document n'a pas pu être produit à temps")
    assert multiprocessing.active_children() == []  # the render process was killed and reaped
    # The next render starts afresh and gives the same bytes as ever.
    assert render_action_plan_pdf(PLAN, created=CREATED) == render_action_plan_pdf(PLAN, created=CREATED)


# ---------------------------------------------------------------- attestation and attendance (database)

START = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)  # 10:00 in Paris


@pytest.fixture(autouse=True)
def _storage(database, set_env, tmp_path):
    if database is not None:
        set_env(STORAGE_DIR=str(tmp_path / "files"))


SESSIONS = (  # phase, day, minutes, status, beneficiary confirmed, consultant confirmed, mode, place
    (Phase.PRELIMINAIRE, 0, 120, SessionStatus.HELD, True, True, DeliveryMode.PRESENTIEL, "12 rue des Écoles"),
    (Phase.INVESTIGATION, 14, 150, SessionStatus.HELD, True, True, DeliveryMode.DISTANCIEL, ""),
    (Phase.INVESTIGATION, 28, 90, SessionStatus.PLANNED, True, False, DeliveryMode.DISTANCIEL, ""),
    (Phase.INVESTIGATION, 35, 60, SessionStatus.CANCELLED, False, False, DeliveryMode.DISTANCIEL, ""),
    (Phase.CONCLUSION, 56, 105, SessionStatus.HELD, True, True, DeliveryMode.PRESENTIEL, "12 rue des Écoles"),
    (Phase.CONCLUSION, 70, 60, SessionStatus.PLANNED, False, False, DeliveryMode.PRESENTIEL, "Salle Œuvre"),
)


def make_bilan(world, *, status: BilanStatus = BilanStatus.CONCLUSION, assigned: bool = True) -> uuid.UUID:
    """A CPF bilan of A with its sessions: held ones in three phases, one half-confirmed, one cancelled, one to come."""
    closed_at = datetime(2026, 3, 20, 12, tzinfo=UTC) if status == BilanStatus.ABANDONNE else None
    bilan_id = make_convention_bilan(world, status=status, closed_at=closed_at)
    with session_scope() as session:
        bilan = session.get(Bilan, bilan_id)
        if not assigned:
            bilan.consultant_id = None
            session.add(bilan)
        for phase, day, minutes, state, beneficiary, consultant, mode, location in SESSIONS:
            starts_at = START + timedelta(days=day)
            session.add(
                BilanSession(
                    organisation_id=bilan.organisation_id,
                    bilan_id=bilan.id,
                    phase=phase,
                    starts_at=starts_at,
                    duration_minutes=minutes,
                    mode=mode,
                    location=location,
                    status=state,
                    beneficiary_attended_at=starts_at + timedelta(minutes=5) if beneficiary else None,
                    consultant_attended_at=starts_at + timedelta(minutes=2) if consultant else None,
                )
            )
    return bilan_id


def test_the_attestation_states_the_hours_completed_per_phase(world, tmp_path):
    bilan_id = make_bilan(world)
    content = records.attestation_pdf(world.consultant_a, bilan_id, created=CREATED)
    text = pdf_text(content, tmp_path)
    assert pdf_info(content, tmp_path)["Pages"] == "1" and pdf_info(content, tmp_path)["Tagged"] == "yes"
    consultant = world.person("consultant_a")
    beneficiary = world.person("beneficiary_a")
    assert "Certificat de réalisation" in text and "bilan en cours" in text  # conclusion: not finished yet
    assert f"Je soussigné·e {consultant.first_name} {consultant.last_name}, consultant·e de l'organisme" in text
    assert f"atteste que {beneficiary.first_name} {beneficiary.last_name} a suivi l'action suivante" in text
    assert "Période de réalisation du 12 janvier 2026 au 9 mars 2026" in text
    assert "CPF (Mon Compte Formation) – dossier n° EDOF-2026-000123" in text
    assert "Durée prévue à la convention 24 h" in text
    # Held sessions only (2 h + 2 h 30 + 1 h 45); the half-confirmed and the future ones are planned, not done.
    assert "Durée effectivement suivie 6 h 15 (3 séances réalisées)" in text
    rows = squeezed(text)
    assert squeezed("Phase préliminaire 1 2 h 2 h") in rows
    assert squeezed("Phase d'investigation 1 4 h 2 h 30") in rows  # the cancelled session counts nowhere
    assert squeezed("Phase de conclusion 1 2 h 45 1 h 45") in rows
    assert "Entretien de suivi" not in text
    assert squeezed("Total 3 8 h 45 6 h 15") in rows
    assert "Fait le 12 juin 2026." in text
    assert records.attestation_pdf(world.consultant_a, bilan_id, created=CREATED) == content


@pytest.mark.parametrize(
    ("status", "subtitle"),
    [
        (BilanStatus.TERMINE, "Attestation de fin de bilan de compétences"),
        (BilanStatus.SUIVI, "Attestation de fin de bilan de compétences"),
        (BilanStatus.ABANDONNE, "Attestation des heures réalisées – bilan interrompu le 20 mars 2026"),
    ],
)
def test_the_attestation_says_whether_the_bilan_is_over(world, tmp_path, status, subtitle):
    content = records.attestation_pdf(world.admin_a, make_bilan(world, status=status), created=CREATED)
    assert subtitle in pdf_text(content, tmp_path)


def test_the_attendance_sheet_has_one_line_per_session_with_the_confirmations(world, tmp_path):
    bilan_id = make_bilan(world)
    content = records.attendance_pdf(world.admin_a, bilan_id, created=CREATED)
    text = pdf_text(content, tmp_path)
    assert pdf_info(content, tmp_path)["Tagged"] == "yes"
    assert "Feuille d'émargement" in text
    # One line per session that was not cancelled, in time order (a cell's second line comes later).
    days = re.findall(r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) \d+ \w+", text)
    assert days == ["lundi 12 janvier", "lundi 26 janvier", "lundi 9 février", "lundi 9 mars", "lundi 23 mars"]
    assert "16 février" not in text  # the cancelled session
    assert text.count("10:00 –") == 5
    ends = re.findall(r"(?<!à )\b(\d\d:\d\d)\b(?! –)", text)  # not a start, not a confirmation time
    assert ends == ["12:00", "12:30", "11:30", "11:45", "11:00"]
    for fragment in ("Préliminaire", "Investigation", "Conclusion", "À distance", "12 rue des Écoles", "Salle Œuvre"):
        assert _words_in_order(fragment, text), fragment
    # Each party's electronic confirmation (Paris time); the half-confirmed session has one only.
    assert text.count("Présence confirmée") == 3 * 2 + 1
    assert "12/01/2026 à 10:05" in text and "12/01/2026 à 10:02" in text and "09/02/2026 à 10:05" in text
    assert squeezed("Heures réalisées (présence confirmée par les deux parties) : 6 h 15") in squeezed(text)
    admin = world.person("admin_a")
    assert f"par {admin.first_name} {admin.last_name}, administrateur·rice" in text


def test_the_convention_gets_the_shipped_fonts_its_footer_and_the_tagging(world, tmp_path):
    bilan_id = make_convention_bilan(world)
    view = conventions.issue_convention(world.consultant_a, bilan_id, CONSULTANT_CLIENT)
    _, content = conventions.read_convention_pdf(world.consultant_a, view.id, signed=False)
    assert pdf_fonts(content, tmp_path) == {"BilanSans", "BilanSans-Bold"}
    assert pdf_info(content, tmp_path)["Tagged"] == "yes"
    # The footer string is set on every page (display: none never set it).
    text = pdf_text(content, tmp_path)
    pages = int(pdf_info(content, tmp_path)["Pages"])
    assert len(re.findall(r"Cabinet Alpha – CBC-\d{8}-[0-9A-F]{8} – version 1", text)) == pages


def test_only_the_followers_get_the_records(world):
    bilan_id = make_bilan(world)
    for render in (records.attestation_pdf, records.attendance_pdf):
        with pytest.raises(AccessDenied):
            render(world.beneficiary_a, bilan_id, created=CREATED)
        for outsider in (world.consultant_b, world.admin_b, world.beneficiary_b):
            with pytest.raises(NotFound):
                render(outsider, bilan_id, created=CREATED)
        with pytest.raises(NotFound):
            render(world.consultant_a, uuid.uuid4(), created=CREATED)
    # A consultant who is not assigned to the bilan does not see it at all.
    unassigned = make_bilan(world, assigned=False)
    with pytest.raises(NotFound):
        records.attestation_pdf(world.consultant_a, unassigned, created=CREATED)
    records.attestation_pdf(world.admin_a, unassigned, created=CREATED)


def test_reading_the_records_is_audited(world):
    bilan_id = make_bilan(world)
    records.attestation_pdf(world.consultant_a, bilan_id, created=CREATED)
    records.attendance_pdf(world.admin_a, bilan_id, created=CREATED)
    with session_scope() as session:
        events = session.exec(
            select(AuditEvent).where(
                AuditEvent.action == BilanAction.PERSONAL_DATA_READ, AuditEvent.target_id == str(bilan_id)
            )
        ).all()
        reads = sorted((event.changes["read"], event.actor_user_id) for event in events)
    assert reads == sorted([("attestation_pdf", world.consultant_a.user_id), ("attendance_pdf", world.admin_a.user_id)])
