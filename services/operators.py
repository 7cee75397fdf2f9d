"""The platform operator's own account (not tied to any organisation)."""

from __future__ import annotations

from sqlmodel import select

from services.db import session_scope
from services.errors import FormError
from services.forms import EmailForm, validate_form
from services.i18n import translate
from services.models import User
from services.passwords import hash_password, password_problem


def create_platform_admin(email: str, first_name: str, last_name: str, password: str) -> str | None:
    """Create the operator account; returns a French message when something is wrong."""
    try:
        form = validate_form(EmailForm, {"email": email})
    except FormError as exc:
        return translate(exc.fields["email"])
    problem = password_problem(password, personal_words=(first_name, last_name, form.email.split("@")[0]))
    if problem:
        return translate(problem)
    with session_scope() as session:
        if session.exec(select(User.id).where(User.email == form.email)).first() is not None:
            return translate("error.email_taken")
        session.add(
            User(
                email=form.email,
                first_name=first_name,
                last_name=last_name,
                password_hash=hash_password(password),
                is_platform_admin=True,
            )
        )
    return None
