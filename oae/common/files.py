"""Files clients bring: accepted by what they really are (read from their first bytes with
the filetype library), not by the name or the type the browser claims."""

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ALLOWED_TYPES = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.oasis.opendocument.text": "ODT",
    "application/vnd.oasis.opendocument.spreadsheet": "ODS",
}


def checked_upload(upload) -> str:
    """The file's real content type, or a ValidationError saying what is wrong."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("%(name)s is larger than %(mb)s MB.")
            % {"name": upload.name, "mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)}
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationError(
            _(
                "%(name)s is not a file we accept: upload a PDF, an image (PNG, JPEG) or a "
                "document (Word, Excel, ODT, ODS)."
            )
            % {"name": upload.name}
        )
    return kind.mime
