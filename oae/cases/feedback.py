"""How the case screens tell the user that a write was refused: one message per reason (or
the reasons on the form sent), and one for a change someone else saved first (the page then
shows the case as it is now)."""

from contextlib import contextmanager

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from oae.common.concurrency import EditConflict


def report_refusal(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@contextmanager
def refusals_as_messages(request):
    """Run the writes in the block; a refusal (ValidationError) or a conflicting edit ends the
    block and becomes an error message instead of an error page."""
    try:
        yield
    except EditConflict:
        messages.error(
            request,
            _("Someone else changed this case meanwhile. Here it is as it is now; do it again."),
        )
    except ValidationError as error:
        report_refusal(request, error)


@contextmanager
def refusals_on_form(form):
    """Run the writes in the block; a refusal (ValidationError) ends the block and is shown on
    the form, which the page then renders again."""
    try:
        yield
    except ValidationError as error:
        form.add_error(None, error)
