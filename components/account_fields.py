"""The fields of the account forms: a new password with its rules, and the person of a new account.

Shared by the organisation's sign-up, the beneficiary's registration, the invitation, the password
reset and the security page, so that the same field says the same rules everywhere.
"""

from __future__ import annotations

import reflex as rx

from components.forms import field


def new_password_field(name: str, label_key: str, errors: rx.Var) -> rx.Component:
    """A password being chosen: the browser may suggest one, and the rules are said under the field."""
    return field(name, label_key, errors, type="password", autocomplete="new-password", help_key="signup.password_help")


def new_account_fields(errors: rx.Var, *, email_key: str, name_max: int) -> rx.Component:
    """First name, last name, email and password of a new account (``name_max``: the service's limit on a name)."""
    return rx.fragment(
        field("first_name", "signup.first_name", errors, autocomplete="given-name", max_length=name_max),
        field("last_name", "signup.last_name", errors, autocomplete="family-name", max_length=name_max),
        field("email", email_key, errors, type="email", autocomplete="email"),
        new_password_field("password", "signup.password", errors),
    )
