"""Session notes after a reassignment (services/session_notes.py, services/notes_agreement.py).

The org admin once read a consultant's notes by reassigning the bilan to another account. Now notes
record their author; the consultant who takes a bilan over reads the earlier notes only while the
beneficiary's agreement for them is in force; the AI panel's themes read the same notes, no more.
"""

from __future__ import annotations

import uuid

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlmodel import col, select

from alembic import command
from services import bilans, notes_agreement
from services.access import Actor
from services.db import get_engine, session_scope
from services.errors import AccessDenied, NotFound, ServiceError
from services.llm.context import build_context
from services.llm.schemas import AiFeature
from services.migrations import alembic_config, upgrade_to_head
from services.models import AuditEvent, Bilan, BilanSession, NotesConsent, NotesDecision, Role
from tests.unit.test_bilans import accepted_bilan, add_person, add_session, load_session

pytestmark = pytest.mark.usefixtures("isolated_storage")

FIRST_NOTES = "Évoque un conflit avec sa manageuse ; fatigue importante."


def code(call) -> str:
    with pytest.raises(ServiceError) as caught:
        call()
    return caught.value.code


def theme_notes(actor: Actor, bilan_id) -> list[str]:
    """What the AI panel's "themes of my session notes" would read for ``actor``."""
    with session_scope() as session:
        bilan = session.get(Bilan, bilan_id)
        return [note.text for note in build_context(session, actor, bilan, AiFeature.SESSION_THEMES).notes]


def actions(bilan_id) -> list[str]:
    with session_scope() as session:
        return list(
            session.exec(
                select(AuditEvent.action)
                .where(AuditEvent.target_type == "bilan", AuditEvent.target_id == str(bilan_id))
                .order_by(col(AuditEvent.created_at))
            ).all()
        )


@pytest.fixture
def reassigned(world) -> tuple[uuid.UUID, uuid.UUID, Actor]:
    """consultant_a wrote notes on a session, then the admin gave the bilan to a colleague."""
    colleague = add_person(world, "a", Role.CONSULTANT, "Hugo", "Collegue")
    bilan_id = accepted_bilan(world)
    session_id = add_session(bilan_id, 60)
    bilans.save_session_notes(world.consultant_a, session_id, FIRST_NOTES)
    bilans.assign_consultant(world.admin_a, bilan_id, colleague.user_id)
    return bilan_id, session_id, colleague


def test_the_author_reads_their_notes_and_is_recorded(world):
    bilan_id = accepted_bilan(world)
    session_id = add_session(bilan_id, 60)
    bilans.save_session_notes(world.consultant_a, session_id, FIRST_NOTES)
    assert load_session(session_id).notes_author_id == world.consultant_a.user_id
    assert bilans.read_session_notes(world.consultant_a, session_id) == FIRST_NOTES
    assert theme_notes(world.consultant_a, bilan_id) == [FIRST_NOTES]
    assert notes_agreement.locked_note_sessions(world.consultant_a, bilan_id) == set()
    for reader in (world.admin_a, world.beneficiary_a):
        with pytest.raises(AccessDenied):
            bilans.read_session_notes(reader, session_id)
        assert theme_notes(reader, bilan_id) == []
    # Nothing to agree to while the author follows the bilan.
    assert notes_agreement.notes_agreement(world.beneficiary_a, bilan_id) is None


def test_the_new_consultant_reads_earlier_notes_only_while_she_agrees(world, reassigned):
    bilan_id, session_id, colleague = reassigned
    # Reassigned: the earlier notes are closed to the new consultant, everywhere.
    assert code(lambda: bilans.read_session_notes(colleague, session_id)) == "notes.error.needs_agreement"
    assert theme_notes(colleague, bilan_id) == []
    assert notes_agreement.locked_note_sessions(colleague, bilan_id) == {str(session_id)}
    # The former consultant no longer sees the bilan at all.
    with pytest.raises(NotFound):
        bilans.read_session_notes(world.consultant_a, session_id)

    # Her space asks her.
    view = notes_agreement.notes_agreement(world.beneficiary_a, bilan_id)
    assert view is not None
    assert (view.consultant_name, view.former_consultants, view.decision) == (
        "Hugo Collegue",
        ("Camille ConseilA",),
        "",
    )

    notes_agreement.decide_notes_agreement(world.beneficiary_a, bilan_id, agree=True)
    assert bilans.read_session_notes(colleague, session_id) == FIRST_NOTES
    assert theme_notes(colleague, bilan_id) == [FIRST_NOTES]
    assert notes_agreement.locked_note_sessions(colleague, bilan_id) == set()
    with session_scope() as session:
        row = session.exec(select(NotesConsent).where(NotesConsent.bilan_id == bilan_id)).one()
        assert (row.consultant_id, row.decided_by, row.decision) == (
            colleague.user_id,
            world.beneficiary_a.user_id,
            NotesDecision.GRANTED,
        )
        assert row.decided_at is not None and row.withdrawn_at is None
    assert notes_agreement.notes_agreement(world.beneficiary_a, bilan_id).decision == "granted"

    notes_agreement.withdraw_notes_agreement(world.beneficiary_a, bilan_id)
    assert code(lambda: bilans.read_session_notes(colleague, session_id)) == "notes.error.needs_agreement"
    assert theme_notes(colleague, bilan_id) == []
    assert notes_agreement.notes_agreement(world.beneficiary_a, bilan_id).decision == "withdrawn"
    assert code(lambda: notes_agreement.withdraw_notes_agreement(world.beneficiary_a, bilan_id)) == (
        "notes.error.no_agreement"
    )
    assert actions(bilan_id)[-2:] == ["notes.agreement_granted", "notes.agreement_withdrawn"]


def test_a_refusal_keeps_the_notes_closed_until_she_agrees(world, reassigned):
    bilan_id, session_id, colleague = reassigned
    notes_agreement.decide_notes_agreement(world.beneficiary_a, bilan_id, agree=False)
    assert notes_agreement.notes_agreement(world.beneficiary_a, bilan_id).decision == "refused"
    assert code(lambda: bilans.read_session_notes(colleague, session_id)) == "notes.error.needs_agreement"
    assert "notes.agreement_refused" in actions(bilan_id)
    notes_agreement.decide_notes_agreement(world.beneficiary_a, bilan_id, agree=True)
    assert bilans.read_session_notes(colleague, session_id) == FIRST_NOTES
    # A refusal after an agreement ends it.
    notes_agreement.decide_notes_agreement(world.beneficiary_a, bilan_id, agree=False)
    assert code(lambda: bilans.read_session_notes(colleague, session_id)) == "notes.error.needs_agreement"


def test_the_new_consultant_writes_their_own_notes_but_never_over_the_earlier_ones(world, reassigned):
    bilan_id, session_id, colleague = reassigned
    assert code(lambda: bilans.save_session_notes(colleague, session_id, "Écrasé")) == "notes.error.other_author"
    notes_agreement.decide_notes_agreement(world.beneficiary_a, bilan_id, agree=True)
    assert code(lambda: bilans.save_session_notes(colleague, session_id, "Écrasé")) == "notes.error.other_author"
    assert load_session(session_id).notes_author_id == world.consultant_a.user_id
    notes_agreement.withdraw_notes_agreement(world.beneficiary_a, bilan_id)

    second = add_session(bilan_id, 60)
    bilans.save_session_notes(colleague, second, "Notes de Hugo")
    assert bilans.read_session_notes(colleague, second) == "Notes de Hugo"
    assert theme_notes(colleague, bilan_id) == ["Notes de Hugo"]
    assert notes_agreement.locked_note_sessions(colleague, bilan_id) == {str(session_id)}

    # Back to the first consultant: their own notes again, the colleague's only with her agreement.
    bilans.assign_consultant(world.admin_a, bilan_id, world.consultant_a.user_id)
    assert bilans.read_session_notes(world.consultant_a, session_id) == FIRST_NOTES
    assert code(lambda: bilans.read_session_notes(world.consultant_a, second)) == "notes.error.needs_agreement"
    assert notes_agreement.notes_agreement(world.beneficiary_a, bilan_id).former_consultants == ("Hugo Collegue",)
    with pytest.raises(NotFound):
        bilans.read_session_notes(colleague, second)


def test_only_her_bilan_and_only_her_decide(world, reassigned):
    bilan_id, _, colleague = reassigned
    for other in (world.admin_a, colleague, world.consultant_a):
        with pytest.raises((AccessDenied, NotFound)):
            notes_agreement.decide_notes_agreement(other, bilan_id, agree=True)
    for stranger in (world.beneficiary_b, world.admin_b, world.consultant_b):
        with pytest.raises(NotFound):
            notes_agreement.notes_agreement(stranger, bilan_id)
    with pytest.raises(AccessDenied):
        notes_agreement.locked_note_sessions(world.admin_a, bilan_id)
    # Nothing by another consultant: nothing to agree to.
    other_bilan = accepted_bilan_for_b(world)
    assert code(lambda: notes_agreement.decide_notes_agreement(world.beneficiary_b, other_bilan, agree=True)) == (
        "notes.error.nothing_to_agree"
    )


def accepted_bilan_for_b(world) -> uuid.UUID:
    bilan_id = bilans.request_bilan(
        world.beneficiary_b,
        {"mode": "distanciel", "funding_type": "cpf", "requested_consultant_id": str(world.consultant_b.user_id)},
    )
    bilans.accept_request(world.consultant_b, bilan_id)
    return bilan_id


def test_the_migration_gives_existing_notes_the_bilans_consultant(world):
    bilan_id = accepted_bilan(world)
    session_id = add_session(bilan_id, 60)
    bilans.save_session_notes(world.consultant_a, session_id, FIRST_NOTES)
    # Back to the schema before the notes had an author (this migration's parent), and up again.
    parent = ScriptDirectory.from_config(alembic_config()).get_revision("0014").down_revision
    command.downgrade(alembic_config(), str(parent))
    get_engine().dispose()
    upgrade_to_head()
    with get_engine().connect() as conn:
        author = conn.execute(
            text("SELECT notes_author_id FROM bilan_sessions WHERE id = :id"), {"id": session_id.hex}
        ).scalar()
    assert uuid.UUID(str(author)) == world.consultant_a.user_id
    with session_scope() as session:
        assert session.get(BilanSession, session_id).notes_author_id == world.consultant_a.user_id


def test_notes_too_long_are_refused_whole_never_cut(world):
    from services.errors import FormError
    from services.forms import SESSION_NOTES_MAX

    bilan_id = accepted_bilan(world)
    session_id = add_session(bilan_id, 60)
    bilans.save_session_notes(world.consultant_a, session_id, FIRST_NOTES)
    with pytest.raises(FormError) as err:
        bilans.save_session_notes(world.consultant_a, session_id, "x" * (SESSION_NOTES_MAX + 1))
    assert err.value.fields == {"notes": "error.too_long"}
    assert bilans.read_session_notes(world.consultant_a, session_id) == FIRST_NOTES  # the stored notes are kept
    full = "y" * SESSION_NOTES_MAX
    bilans.save_session_notes(world.consultant_a, session_id, full)
    assert bilans.read_session_notes(world.consultant_a, session_id) == full
