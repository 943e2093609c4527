"""Optimistic locking so that two people editing one record never overwrite each other."""

from django import forms
from django.db import models
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The largest version a PositiveIntegerField holds everywhere (a bigger one never matches and
# would overflow SQLite's integers).
MAX_VERSION = 2_147_483_647
MISSING_VERSION = gettext_lazy(
    "This form came without the version of the record it changes, so saving it could "
    "overwrite someone else's changes. Reload the page and apply yours again."
)


class EditConflict(Exception):
    """Somebody else saved the record after it was read."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or _(
                "Someone else changed this record while you were editing it. "
                "Reload the page to see their changes, then apply yours again."
            )
        )


class MissingVersion(EditConflict):
    """An edit that does not say which version it read: never taken as the current one."""

    def __init__(self) -> None:
        super().__init__(str(MISSING_VERSION))


def save_with_version(
    instance: models.Model, *, expected_version: int | None, fields: list[str]
) -> None:
    """Write `fields` only if the row still has `expected_version`; bump the version. An edit
    without a version (None) is refused: it would silently overwrite whatever is stored."""
    if expected_version is None:
        raise MissingVersion()
    model = type(instance)
    values = {name: getattr(instance, name) for name in fields}
    if any(f.name == "updated_at" for f in model._meta.fields):
        instance.updated_at = model._meta.get_field("updated_at").pre_save(instance, add=False)
        values["updated_at"] = instance.updated_at
    updated = model.objects.filter(pk=instance.pk, lock_version=expected_version).update(
        lock_version=F("lock_version") + 1, **values
    )
    if updated == 0:
        raise EditConflict()
    instance.lock_version = expected_version + 1


class VersionField(forms.IntegerField):
    """The version of the record a form was shown with, sent back hidden. Optional as a field
    (a form that creates has none); `VersionedForm.require_version` makes an edit need it."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        super().__init__(min_value=1, max_value=MAX_VERSION, **kwargs)


class VersionedForm:
    """A mixin for forms that edit a versioned record: once `require_version` is called, a POST
    without its version, or with one that is not a version, gets a form error, never "the
    current version" in its place."""

    version_field = "lock_version"
    version_required = False

    def require_version(self, version: int) -> None:
        self.fields[self.version_field].initial = version
        self.initial[self.version_field] = version
        self.version_required = True

    def clean(self):
        cleaned = super().clean()
        if self.version_required and cleaned.get(self.version_field) is None:
            # Hidden: its own error would not be seen next to it; say it once, for the form.
            self._errors.pop(self.version_field, None)
            self.add_error(None, MISSING_VERSION)
        return cleaned
