"""Writes to a person's own account."""

from django.db import transaction

from oae.accounts.models import User
from oae.privacy.services import audit_record, changes_between, model_snapshot

PROFILE_FIELDS = ["first_name", "last_name", "language"]


@transaction.atomic
def user_update_profile(*, user: User, first_name: str, last_name: str, language: str) -> User:
    before = model_snapshot(user, PROFILE_FIELDS)
    user.first_name, user.last_name, user.language = first_name, last_name, language
    user.full_clean(exclude=["password"])
    user.save(update_fields=PROFILE_FIELDS)
    changes = changes_between(before, model_snapshot(user, PROFILE_FIELDS))
    if changes:
        audit_record(
            action="accounts.profile.update", actor=user, target=user, details={"changes": changes}
        )
    return user


@transaction.atomic
def user_set_language(*, user: User, language: str) -> None:
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
