"""How the screens tell the user that a write was refused: one message per reason (or the
reasons on the form sent), and one for a change someone else saved first (the page then
shows the record as it is now)."""

from contextlib import contextmanager

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from oae.common.concurrency import EditConflict


def report_refusal(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def report_invalid_form(request, form, message: str) -> None:
    """A small form of a page sent wrong: its reasons for the whole form (such as a
    missing version) when it has some, else `message`, which names what to fill in."""
    messages.error(request, " ".join(form.non_field_errors()) or message)


@contextmanager
def refusals_as_messages(request):
    """Run the writes in the block; a refusal (ValidationError) or a conflicting edit ends the
    block and becomes an error message instead of an error page."""
    try:
        yield
    except EditConflict:
        messages.error(
            request,
            _("Someone else changed this meanwhile. Here it is as it is now; do it again."),
        )
    except ValidationError as error:
        report_refusal(request, error)


@contextmanager
def refusals_on_form(form, fields: dict[str, str] | None = None):
    """Run the writes in the block; a refusal (ValidationError) ends the block and is shown on
    the form, which the page then renders again. A reason the service gives for one of its
    arguments goes to the form's field of that name, or of the name `fields` maps it to (the
    service's `starts_at` is the form's `starts`), else to the whole form."""
    try:
        yield
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            form.add_error(None, error)
            return
        for name, reasons in error.error_dict.items():
            field = (fields or {}).get(name, name)
            form.add_error(field if field in form.fields else None, reasons)
