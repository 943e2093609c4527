"""The business model canvas: nine blocks of free text, kept in the browser session or with a
client, printed to a one-page PDF in the canvas's usual layout."""

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from weasyprint import HTML

# (key, name, question that helps fill it), in the order people usually fill them in.
BLOCKS = [
    ("segments", _("Customer segments"), _("For whom do you create value? Who pays?")),
    ("value", _("Value propositions"), _("What problem do you solve, what do you offer them?")),
    ("channels", _("Channels"), _("How do they find you, buy and receive it?")),
    ("relationships", _("Customer relationships"), _("How do you win, keep and grow them?")),
    ("revenue", _("Revenue streams"), _("What do they pay for, how and how much?")),
    ("resources", _("Key resources"), _("What do you need to have: people, premises, tools?")),
    ("activities", _("Key activities"), _("What must you do well every day?")),
    ("partners", _("Key partners"), _("Who supplies or helps you; what do they do for you?")),
    ("costs", _("Cost structure"), _("What are the main costs; which are fixed?")),
]
MAX_BLOCK = 2000


def blocks(data: dict) -> list[dict]:
    """The nine blocks with their texts, for the page, the PDF and a saved result."""
    return [
        {"key": key, "name": name, "hint": hint, "text": (data.get(key) or "").strip()}
        for key, name, hint in BLOCKS
    ]


def pdf_bytes(data: dict, title: str) -> bytes:
    by_key = {block["key"]: block for block in blocks(data)}
    html = render_to_string("tools/canvas_pdf.html", {"title": title, "block": by_key})
    return HTML(string=html).write_pdf()
