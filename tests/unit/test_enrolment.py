"""services.enrolment: the public organisation information, and beneficiary self-registration."""

import dataclasses
import uuid

import pytest
from sqlmodel import col, func, select

from services import auth, bilans, enrolment
from services.access import get_scoped
from services.audit import AuditFilter, list_events
from services.db import session_scope
from services.errors import FormError, NotFound
from services.models import AuditEvent, Bilan, LoginSession, Membership, Organisation, Role, User

STRONG = "Boussole-Ecarlate-Marine-37"
CLIENT = auth.ClientInfo(ip="198.51.100.7", user_agent="pytest")
PUBLIC_FIELDS = {
    "name",
    "slug",
    "siret",
    "nda_number",
    "address",
    "contact_email",
    "contact_phone",
    "price_euros",
    "default_hours",
    "min_hours",
    "access_delay_days",
    "modes",
    "disability_contact",
    "public_description",
}


def registration(**overrides):
    raw = {"first_name": "Lucie", "last_name": "Garnier", "email": "lucie.garnier@exemple-perso.fr", "password": STRONG}
    raw.update(overrides)
    return raw


def slug_of(organisation_id):
    with session_scope() as session:
        return session.get(Organisation, organisation_id).slug


def update_organisation(organisation_id, **values):
    with session_scope() as session:
        organisation = session.get(Organisation, organisation_id)
        for name, value in values.items():
            setattr(organisation, name, value)
        session.add(organisation)


def count(model, *where):
    with session_scope() as session:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()


# ---------------------------------------------------------------- public information


def test_public_info_comes_from_the_organisation_settings(world):
    update_organisation(
        world.org_a,
        address="12 rue des Tanneurs, 67000 Strasbourg",
        contact_phone="03 88 00 00 00",
        price_euros=1650,
        default_hours=20,
        min_hours=13,
        access_delay_days=10,
        modes="distanciel,presentiel",
        disability_contact="Sophie Martin, 03 88 00 00 01",
        public_description="Cabinet indépendant.",
        nda_number="42670000067",
    )
    info = enrolment.organisation_public_info(slug_of(world.org_a))
    assert info is not None
    assert info.name == "Cabinet Alpha"
    assert info.slug == "cabinet-alpha"
    assert info.siret == "33514171953640"
    assert info.nda_number == "42670000067"
    assert info.address.startswith("12 rue des Tanneurs")
    assert info.contact_phone == "03 88 00 00 00"
    assert (info.price_euros, info.default_hours, info.min_hours, info.access_delay_days) == (1650, 20, 13, 10)
    assert info.modes == ("presentiel", "distanciel")  # the enum's order, whatever the stored order
    assert info.disability_contact.startswith("Sophie Martin")
    assert info.public_description == "Cabinet indépendant."


def test_the_public_duration_never_exceeds_the_legal_24_hours(world):
    update_organisation(world.org_a, default_hours=30, min_hours=40)
    info = enrolment.organisation_public_info("cabinet-alpha")
    assert info.default_hours == 24
    assert info.min_hours == 24
    update_organisation(world.org_a, default_hours=0, min_hours=-2)
    info = enrolment.organisation_public_info("cabinet-alpha")
    assert (info.default_hours, info.min_hours) == (24, 0)


def test_unknown_modes_are_ignored(world):
    update_organisation(world.org_a, modes=" hybride , teleportation,")
    assert enrolment.organisation_public_info("cabinet-alpha").modes == ("hybride",)
    update_organisation(world.org_a, modes="")
    assert enrolment.organisation_public_info("cabinet-alpha").modes == ()


@pytest.mark.parametrize("slug", ["", "   ", "inconnu", "cabinet", "x" * 500, "cabinet-alpha/../bureau-beta"])
def test_unknown_slug_has_no_public_info(world, slug):
    assert enrolment.organisation_public_info(slug) is None


def test_the_slug_is_matched_whatever_its_case_and_spaces(world):
    assert enrolment.organisation_public_info("  Cabinet-Alpha ").slug == "cabinet-alpha"


def test_an_inactive_organisation_has_no_public_page(world):
    update_organisation(world.org_b, is_active=False)
    assert enrolment.organisation_public_info(slug_of(world.org_b)) is None
    assert enrolment.organisation_public_info(slug_of(world.org_a)) is not None


def test_public_info_never_exposes_members_or_bilans(world):
    bilan_id = bilans.request_bilan(world.beneficiary_a, {"mode": "hybride", "funding_type": "cpf"})
    update_organisation(world.org_a, contact_email="contact@alpha-conseil.fr")
    info = enrolment.organisation_public_info("cabinet-alpha")
    assert {f.name for f in dataclasses.fields(info)} == PUBLIC_FIELDS
    text = repr(dataclasses.asdict(info))
    for key in ("admin_a", "consultant_a", "beneficiary_a"):
        person = world.person(key)
        assert person.email not in text
        assert person.last_name not in text
        assert str(person.user_id) not in text
    assert str(bilan_id) not in text
    assert str(world.org_a) not in text  # not even the internal id


# ---------------------------------------------------------------- registration


def test_registration_creates_a_beneficiary_and_logs_them_in(world):
    before_users = count(User)
    result = enrolment.register_beneficiary("cabinet-alpha", registration(), CLIENT)
    assert result.home_route == "/mon-espace"
    assert result.locale == "fr"
    info = auth.resolve_session(result.token)
    assert info is not None
    assert info.actor.role is Role.BENEFICIARY
    assert info.actor.organisation_id == world.org_a
    assert info.user_name == "Lucie Garnier"
    assert info.organisation_slug == "cabinet-alpha"
    assert count(User) == before_users + 1
    with session_scope() as session:
        user = session.exec(select(User).where(User.email == "lucie.garnier@exemple-perso.fr")).one()
        memberships = session.exec(select(Membership).where(Membership.user_id == user.id)).all()
        assert [(m.organisation_id, m.role, m.is_active) for m in memberships] == [
            (world.org_a, Role.BENEFICIARY, True)
        ]
        assert user.password_hash != STRONG and user.password_hash.startswith("$argon2")
        assert not user.is_platform_admin
        login = session.exec(select(LoginSession).where(LoginSession.user_id == user.id)).one()
        assert login.ip == CLIENT.ip


def test_registration_is_audited_in_the_organisation(world):
    enrolment.register_beneficiary("cabinet-alpha", registration(), CLIENT)
    with session_scope() as session:
        events = session.exec(
            select(AuditEvent).where(AuditEvent.action == enrolment.EnrolmentAction.SELF_REGISTERED)
        ).all()
        assert len(events) == 1
        event = events[0]
        assert event.organisation_id == world.org_a
        assert event.actor_label == "lucie.garnier@exemple-perso.fr"
        assert event.target_type == "membership"
        assert event.ip == CLIENT.ip
        assert event.changes == {"role": {"before": None, "after": "beneficiary"}}
        own, _ = list_events(session, world.admin_a, AuditFilter(action_prefix="member.self_registered"))
        other, _ = list_events(session, world.admin_b, AuditFilter(action_prefix="member.self_registered"))
        assert len(own) == 1 and other == []


def test_registration_keeps_the_chosen_locale(world):
    result = enrolment.register_beneficiary("cabinet-alpha", registration(locale="en"), CLIENT)
    assert result.locale == "en"
    assert auth.resolve_session(result.token).locale == "en"
    odd = enrolment.register_beneficiary(
        "cabinet-alpha", registration(email="autre@exemple-perso.fr", locale="de"), CLIENT
    )
    assert odd.locale == "fr"


@pytest.mark.parametrize(
    ("password", "key"),
    [
        ("court", "error.password_too_short"),
        ("motdepasse123", "error.password_common"),
        ("Lucie-Garnier-2026!", "error.password_personal"),
        ("", "error.password_too_short"),
    ],
)
def test_registration_applies_the_password_policy(world, password, key):
    before = count(User)
    with pytest.raises(FormError) as error:
        enrolment.register_beneficiary("cabinet-alpha", registration(password=password), CLIENT)
    assert error.value.fields == {"password": key}
    assert count(User) == before


@pytest.mark.parametrize("owner", ["beneficiary_a", "consultant_b", "admin_b", "platform"])
def test_an_email_already_used_anywhere_is_refused(world, owner):
    email = world.person(owner).email
    before = (count(User), count(Membership))
    with pytest.raises(FormError) as error:
        enrolment.register_beneficiary("cabinet-alpha", registration(email=email.upper()), CLIENT)
    assert error.value.fields == {"email": "error.email_taken"}
    assert (count(User), count(Membership)) == before


def test_password_and_email_errors_come_together(world):
    with pytest.raises(FormError) as error:
        enrolment.register_beneficiary(
            "cabinet-alpha", registration(email=world.person("consultant_a").email, password="court"), CLIENT
        )
    assert error.value.fields == {"email": "error.email_taken", "password": "error.password_too_short"}


def test_required_fields_and_a_bad_email(world):
    with pytest.raises(FormError) as error:
        enrolment.register_beneficiary(
            "cabinet-alpha",
            {"first_name": "  ", "last_name": "", "email": "pas-une-adresse", "password": STRONG},
            CLIENT,
        )
    assert error.value.fields == {
        "first_name": "error.required",
        "last_name": "error.required",
        "email": "error.email_invalid",
    }
    with pytest.raises(FormError) as error:
        enrolment.register_beneficiary("cabinet-alpha", registration(first_name="L" * 101), CLIENT)
    assert error.value.fields == {"first_name": "error.too_long"}


@pytest.mark.parametrize("slug", ["", "inconnu", "bureau-beta-2"])
def test_registering_in_an_unknown_organisation_is_not_found(world, slug):
    before = count(User)
    with pytest.raises(NotFound):
        enrolment.register_beneficiary(slug, registration(), CLIENT)
    assert count(User) == before


def test_registering_in_an_inactive_organisation_is_not_found(world):
    update_organisation(world.org_b, is_active=False)
    with pytest.raises(NotFound):
        enrolment.register_beneficiary("bureau-beta", registration(), CLIENT)
    assert count(User, col(User.email) == "lucie.garnier@exemple-perso.fr") == 0


# ---------------------------------------------------------------- tenancy


def test_registering_in_a_gives_no_access_to_b(world):
    b_bilan = bilans.request_bilan(world.beneficiary_b, {"mode": "distanciel", "funding_type": "cpf"})
    result = enrolment.register_beneficiary("cabinet-alpha", registration(), CLIENT)
    actor = auth.resolve_session(result.token).actor
    assert actor.organisation_id == world.org_a

    # B's objects answer like missing ones.
    with pytest.raises(NotFound):
        bilans.get_questionnaire(actor, b_bilan)
    with pytest.raises(NotFound):
        bilans.get_questionnaire(actor, uuid.uuid4())
    with session_scope() as session, pytest.raises(NotFound):
        get_scoped(session, Membership, world.person("beneficiary_b").membership_id, actor)

    # The directory lists A's consultants only, and B's consultant cannot be requested.
    names = [card.name for card in bilans.consultant_directory(actor)]
    assert names == ["Camille ConseilA"]
    with pytest.raises(FormError) as error:
        bilans.request_bilan(
            actor,
            {
                "mode": "hybride",
                "funding_type": "cpf",
                "requested_consultant_id": str(world.person("consultant_b").user_id),
            },
        )
    assert error.value.fields == {"requested_consultant_id": "error.invalid_choice"}

    # A request lands in A, and B's lists do not see it.
    own = bilans.request_bilan(actor, {"mode": "hybride", "funding_type": "cpf"})
    with session_scope() as session:
        assert session.get(Bilan, own).organisation_id == world.org_a
    assert str(own) not in {row.id for row in bilans.list_bilans(world.admin_b)}
    assert str(own) in {row.id for row in bilans.list_bilans(world.admin_a)}


def test_the_same_person_cannot_register_twice_across_organisations(world):
    enrolment.register_beneficiary("cabinet-alpha", registration(), CLIENT)
    with pytest.raises(FormError) as error:
        enrolment.register_beneficiary("bureau-beta", registration(), CLIENT)
    assert error.value.fields == {"email": "error.email_taken"}
    with session_scope() as session:
        user = session.exec(select(User).where(User.email == "lucie.garnier@exemple-perso.fr")).one()
        organisations = session.exec(select(Membership.organisation_id).where(Membership.user_id == user.id)).all()
    assert organisations == [world.org_a]
