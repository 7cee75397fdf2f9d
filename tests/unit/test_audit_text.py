"""Audit events read by people: no raw ids, ISO stamps, Python values or English field names."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import col, select

from services import bilans
from services.audit import AuditFilter
from services.audit_text import audit_log, describe_changes, target_labels, target_text
from services.db import session_scope
from services.errors import AccessDenied
from services.models import AuditEvent


def test_changes_read_as_words_in_french():
    text = describe_changes(
        {
            "plan_action": {"before": None, "after": str(uuid.uuid4())},
            "commune": {"before": False, "after": True},
            "price_euros": {"before": 1800.0, "after": 1950.5},
            "status": {"before": "demande", "after": "preliminaire"},
            "sign_by": {"before": None, "after": "2026-12-17T16:07:50+00:00"},
            "followup_due_on": {"before": None, "after": "2027-05-06"},
        },
        "fr",
    )
    assert "None" not in text and "False" not in text and "True" not in text and "1800.0" not in text
    assert "T16:07" not in text and "2027-05-06" not in text
    assert "Action du plan : élément lié" in text
    assert "Commune : non → oui" in text
    assert "Prix (€) : 1\u202f800 → 1\u202f950,5" in text
    assert "Statut : Demande → Phase préliminaire" in text
    assert "17/12/2026 17:07" in text  # Paris time
    assert "6 mai 2027" in text


def test_changes_read_as_words_in_english():
    text = describe_changes({"commune": {"before": False, "after": True}, "status": "termine"}, "en")
    assert text.startswith("Town: no → yes; Status: ") and "Statut" not in text and "termine" not in text


def test_audit_log_names_its_targets_instead_of_ids(world):
    admin = world.admin_a
    bilan_id = bilans.request_bilan(world.beneficiary_a, {"mode": "hybride", "funding_type": "cpf"})
    with session_scope() as session:
        events = session.exec(
            select(AuditEvent).where(AuditEvent.organisation_id == admin.organisation_id).order_by(col(AuditEvent.id))
        ).all()
        labels = target_labels(session, admin.organisation_id, events, "fr")
        texts = {target_text(event, labels, "fr") for event in events}
        beneficiary = world.person("beneficiary_a")
        assert f"Bilan de {beneficiary.first_name} {beneficiary.last_name}" in {
            target_text(event, labels, "fr") for event in events if event.target_id == str(bilan_id)
        }
        assert all(str(uuid_text)[:8] not in " ".join(texts) for uuid_text in (bilan_id, beneficiary.user_id))
        # Another organisation's rows are never looked up, even if an event pointed at them.
        other = world.person("beneficiary_b")
        foreign = AuditEvent(
            organisation_id=admin.organisation_id, action="x", target_type="user", target_id=str(other.user_id)
        )
        foreign_labels = target_labels(session, admin.organisation_id, [foreign], "fr")
        assert foreign_labels == {}
        assert target_text(foreign, foreign_labels, "fr") == "Compte"


def test_audit_log_page_is_in_words_and_for_the_org_admin(world):
    bilans.request_bilan(world.beneficiary_a, {"mode": "hybride", "funding_type": "cpf"})
    lines, total = audit_log(world.admin_a, AuditFilter(), "fr", limit=5)
    assert total >= len(lines) > 0 and len(lines) <= 5
    beneficiary = world.person("beneficiary_a")
    assert f"Bilan de {beneficiary.first_name} {beneficiary.last_name}" in {line["target"] for line in lines}
    assert all(not line["action"].startswith("audit.") for line in lines)  # catalogue labels, not keys
    later, _ = audit_log(world.admin_a, AuditFilter(), "fr", limit=5, offset=5)
    assert later != lines
    with pytest.raises(AccessDenied):
        audit_log(world.consultant_a, AuditFilter(), "fr", limit=5)
