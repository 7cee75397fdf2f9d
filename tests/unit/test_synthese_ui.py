"""The synthèse pages' view builders (services/display/synthese.py), without a server."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from services.display.synthese import (
    EDITOR_TOP_LEVEL,
    diff_view,
    previews,
    reader_sections,
    version_rows,
    version_summary,
)
from services.i18n import EN, FR, translate
from services.markdown import render_markdown
from services.pdf.typography import NBSP, NNBSP
from services.synthese import SECTIONS, VersionContent, VersionInfo, diff_sections, section_title

CREATED = datetime(2026, 3, 12, 9, 30, tzinfo=UTC)


def _info(**changes) -> VersionInfo:
    values = {
        "number": 2,
        "status": "validated",
        "origin": "consultant",
        "model": "",
        "based_on": 1,
        "created_by": "Camille Martin",
        "created_at": CREATED,
        "updated_by": "Camille Martin",
        "updated_at": CREATED,
        "validated_by": "Camille Martin",
        "validated_at": CREATED,
        "observations_updated_at": None,
    }
    return VersionInfo(**{**values, **changes})


def test_the_versions_table_says_who_what_and_when():
    rows = version_rows(
        [_info(), _info(number=1, status="draft", origin="ai", model="gpt-4o-mini", based_on=None, validated_at=None)],
        "fr",
    )
    assert rows[0] == {
        "number": "2",
        "label": "Version 2",
        "status": "validated",
        "status_label": "Validée (verrouillée)",
        "origin": "Rédaction du consultant · d'après la version 1",
        "created": "12 mars 2026 · Camille Martin",
        "validated": "12 mars 2026 · Camille Martin",
    }
    assert (rows[1]["origin"], rows[1]["validated"]) == ("Assistant IA (gpt-4o-mini)", "—")
    assert rows[1]["status_label"] == "Brouillon remplacé"  # an older draft no longer changes
    assert version_rows([_info(status="draft", validated_at=None)], "fr")[0]["status_label"] == "Brouillon"
    assert version_rows([_info(origin="local", based_on=None)], "en")[0]["origin"] == "Local engine"


def test_the_status_panel_lines():
    summary = version_summary(_info(), "fr")
    assert summary["title"] == "Version en cours : Version 2 · Validée (verrouillée)"
    assert summary["made_by"].startswith("Rédaction du consultant · d'après la version 1 · créée par Camille Martin")
    assert summary["validated"] == "Validée par Camille Martin le 12 mars 2026"
    assert version_summary(_info(status="draft", validated_at=None), "fr")["validated"] == ""
    assert version_summary(None, "fr") == {"title": "", "made_by": "", "updated": "", "validated": ""}


def test_the_diff_prints_a_tag_on_every_changed_line():
    heads, lines, unchanged = diff_view(diff_sections({"projet": "a\n\nb"}, {"projet": "a\n\nB"}), "fr")
    assert heads == [{"key": "projet", "title": "Projet(s) professionnel(s) et alternatives"}]
    assert [(line["kind"], line["tag"], line["text"]) for line in lines[0]] == [
        ("same", "", "a"),
        ("same", "", " "),  # an empty line keeps its height
        ("removed", "Supprimé", "b"),
        ("added", "Ajouté", "B"),
    ]
    assert len(unchanged) == len(SECTIONS) - 1 and unchanged[0] == "Circonstances du bilan"
    _, english, _ = diff_view(diff_sections({"etapes": ""}, {"etapes": "x"}), "en")
    assert english[0][0]["tag"] == "Added"


def test_the_beneficiary_reads_the_written_sections_rendered():
    sections = dict.fromkeys(SECTIONS, "")
    sections.update(projet="### Libraire\n\n- **Formation**", observations="Mes remarques")
    rows = reader_sections(VersionContent(_info(), sections), "fr")
    assert [row["key"] for row in rows] == ["projet"]  # empty sections and her observations are not repeated
    # Under the section's h2: the text's highest heading is an h3, whatever its "#" count.
    assert rows[0]["html"] == "<h3>Libraire</h3>\n<ul>\n<li><strong>Formation</strong></li>\n</ul>\n"


def test_the_previews_show_the_text_as_the_pdf_prints_it():
    """Headings one level below their section's title, French spaces, raw HTML escaped, images as text."""
    text = (
        "# Projet\n\n### Étape : formation ?\n\n<b>gras</b> ![photo](https://exemple.fr/p.png) [x](javascript:alert(1))"
    )
    editor = previews({"projet": text, "etapes": ""}, EDITOR_TOP_LEVEL)  # sections are h3 on the editor
    assert editor["etapes"] == ""
    html = editor["projet"]
    assert re.findall(r"<h(\d)>", html) == ["4", "5"]
    assert f"<h5>Étape{NBSP}: formation{NNBSP}?</h5>" in html
    assert "<b>" not in html and "&lt;b&gt;gras&lt;/b&gt;" in html
    assert "<img" not in html and " photo " in html and "href=" not in html
    sections = dict.fromkeys(SECTIONS, "")
    sections["projet"] = text
    reader = reader_sections(VersionContent(_info(), sections), "fr")[0]["html"]  # sections are h2 there
    assert re.findall(r"<h(\d)>", reader) == ["3", "4"]
    assert reader == render_markdown(text, top_level=3, french=True)


def test_every_section_has_a_title_a_help_a_label_and_a_preview_name_in_both_languages():
    for catalogue in (FR, EN):
        assert all(catalogue[f"synthese.section.{key}"] and catalogue[f"synthese.help.{key}"] for key in SECTIONS)
    title = section_title(SECTIONS[6], "fr")
    assert translate("synthese.field_label", "fr", section=title) == "Étapes (plan d'action) (Markdown)"
    assert translate("synthese.preview", "fr", section=title) == "Aperçu : Étapes (plan d'action)"
