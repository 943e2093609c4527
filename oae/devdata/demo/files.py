"""The files the demo uploads (a deed, a resolution, a business plan…), written as small PDFs
when loading, so the repository keeps no binary files and each one reads as what it claims."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import format_html, format_html_join
from weasyprint import HTML

_PAGE = """<!doctype html><html lang="ca"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 2.2cm; }}
body {{ font-family: sans-serif; font-size: 11pt; line-height: 1.45; color: #222; }}
h1 {{ font-size: 17pt; margin: 0 0 .2em; }}
.issuer {{ color: #555; margin: 0 0 1.5em; }}
.demo {{ margin-top: 3em; color: #777; font-size: 9pt; }}
</style></head><body><h1>{title}</h1><p class="issuer">{issuer}</p>{paragraphs}
<p class="demo">Document de demostració generat per la Xarxa OAE.</p></body></html>"""


def demo_pdf(name: str, *, title: str, issuer: str, paragraphs: list[str]) -> SimpleUploadedFile:
    """A one-page PDF named `name`, ready to hand to a service as an upload."""
    html = format_html(
        _PAGE,
        title=title,
        issuer=issuer,
        paragraphs=format_html_join("", "<p>{}</p>", ((text,) for text in paragraphs)),
    )
    return SimpleUploadedFile(name, HTML(string=html).write_pdf(), "application/pdf")
