"""Catalan and Spanish translations are complete and used."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def _untranslated(po_text: str) -> list[str]:
    """msgids whose msgstr (or any plural msgstr) is empty, header excluded."""
    empty = []
    for block in po_text.split("\n\n")[1:]:
        if "#, fuzzy" in block:
            empty.append(block)
            continue
        msgid = re.search(r'^msgid "(.*)"', block, re.M)
        # An empty msgstr not continued on the next line.
        if re.search(r'^msgstr(?:\[\d\])? ""(?:\n(?!")|\Z)', block, re.M):
            empty.append(msgid.group(1) if msgid else block)
    return empty


@pytest.mark.parametrize("language", ["ca", "es"])
def test_every_string_is_translated(language):
    po_text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    assert po_text.count("msgid ") > 400
    assert _untranslated(po_text) == []
    assert (LOCALE / language / "LC_MESSAGES" / "django.mo").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ca", "Oficines d'Atenció a l'Empresa de l'àrea metropolitana"),
        ("es", "Oficinas de Atención a la Empresa del área metropolitana"),
        ("en", "Business Support Offices of the metropolitan area"),
    ],
)
def test_public_home_speaks_each_language(client, language, text):
    client.cookies["django_language"] = language
    assert text in client.get(reverse("home")).content.decode()
