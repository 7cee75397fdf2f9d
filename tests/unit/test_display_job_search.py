"""The offers page's rows (services.display.job_search): built from service views, no database."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import get_type_hints

from services.display.job_search import (
    CompanyRow,
    OfferRow,
    SavedOfferRow,
    commune_rows,
    companies_line,
    company_rows,
    filter_values,
    offer_rows,
    preference_values,
    results_line,
    saved_rows,
    where_line,
)
from services.job_search import (
    CommuneHit,
    CompanyPage,
    CompanyView,
    OfferPage,
    OfferSnapshot,
    OfferView,
    Preferences,
    SavedOfferView,
)

WHEN = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
SNAPSHOT = OfferSnapshot("FT1", "Voilier", company="Les Ailes", place="Brest", contract="CDI", code_rome="K9902")


def test_the_forms_hold_her_criteria_as_text():
    preferences = Preferences(commune="29019", commune_libelle="Brest (29)", rayon_km=20, salaire_min=24000)
    assert preference_values(preferences) == {
        "commune": "29019",
        "commune_libelle": "Brest (29)",
        "rayon_km": "20",
        "temps_travail": "",
        "salaire_min": "24000",
    }
    assert preference_values(Preferences())["salaire_min"] == ""
    filters = filter_values(preferences, "K9902")
    assert (filters["code_rome"], filters["commune"], filters["distance"], filters["mots_cles"]) == (
        "K9902",
        "Brest (29)",
        "20",
        "",
    )


def test_commune_suggestions_carry_their_option_ids():
    hits = [CommuneHit("29019", "Brest (29)", "Brest (29) — 29200"), CommuneHit("29020", "Brélès (29)", "Brélès")]
    assert [row["id"] for row in commune_rows(hits)] == ["commune-option-0", "commune-option-1"]


def test_offers_in_the_locale():
    page = OfferPage(
        [OfferView(SNAPSHOT, "CDI", "2 000 € par mois", WHEN, "https://ft/1")], 1353, 20, ["K9902"], "", None
    )
    [row] = offer_rows(page, "fr")
    assert (row["meta"], row["published"], row["salary"]) == (
        "Les Ailes · Brest · CDI",
        "Publiée le 5 mars 2026",
        "Salaire : 2 000 € par mois",
    )
    assert offer_rows(page, "en")[0]["published"] == "Published on 5 March 2026"
    assert set(row) == set(get_type_hints(OfferRow))
    assert results_line(page, "fr") == "Offres 21–21 sur 1\u202f353"
    assert results_line(page, "en") == "Offers 21–21 of 1,353"
    assert where_line("", None, "", "fr") == "Dans toute la France."
    assert where_line("29019", None, "Brest (29)", "fr") == "Autour de la commune Brest (29), dans un rayon de 30 km."


def test_a_kept_offer_names_its_target():
    views = [
        SavedOfferView("s1", SNAPSHOT, "https://ft/1", WHEN),
        SavedOfferView("s2", OfferSnapshot("FT2", "Mousse"), "", WHEN),
    ]
    kept, other = saved_rows(views, {"K9902": "Fabricant de cerfs-volants"}, "fr")
    assert (kept["id"], kept["target"], kept["saved_on"]) == (
        "FT1",
        "Piste : Fabricant de cerfs-volants",
        "Retenue le 5 mars 2026",
    )
    assert (other["target"], other["meta"]) == ("", "")
    assert set(kept) == set(get_type_hints(SavedOfferRow))


def test_companies_in_the_locale():
    company = CompanyView("123", "Les Ailes", "Fabrication", "10-19", "Brest", 2.46, 2.5, "https://lbb/123")
    page = CompanyPage([company], 1200, "K9902", "29019", 30, "Brest (29)")
    [row] = company_rows(page, "fr")
    assert row["potential"] == "Potentiel d'embauche (La Bonne Boîte) : 2,5"
    assert "À 2,5 km" in row["details"] and "Brest" in row["details"]
    assert company_rows(page, "en")[0]["potential"] == "Hiring potential (La Bonne Boîte): 2.5"
    assert set(row) == set(get_type_hints(CompanyRow))
    assert "Brest (29)" in companies_line(page, page.commune_label, "fr")
    assert companies_line(CompanyPage([], 0, "K9902", "29019", 30), "", "fr") == companies_line(
        CompanyPage([], 5, "X", "1", 10), "x", "fr"
    )
