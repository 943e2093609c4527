"""The main menu's order by role: an office's staff start from their day, network roles from the
offices of the network."""

import re

import pytest
from django.urls import reverse


def _menu(client) -> list[str]:
    page = client.get(reverse("tools:index")).content.decode()
    nav = re.search(r'<nav aria-label="Main">(.*?)</nav>', page, re.S).group(1)
    return re.findall(r'<a href="[^"]*">([^<]+)</a>', nav)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["advisor_a", "manager_a", "readonly_a"])
def test_an_office_s_staff_menu_starts_with_their_day(client_for, persona):
    menu = _menu(client_for(persona))
    assert menu[:4] == ["Today", "Cases", "Agenda", "People"]
    assert menu.index("Offices") > menu.index("People")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["coordinator", "auditor"])
def test_network_roles_keep_the_offices_first(client_for, persona):
    menu = _menu(client_for(persona))
    assert menu[0] == "Offices"
    assert "Today" not in menu


@pytest.mark.django_db
def test_a_citizen_has_no_staff_menu(client_for):
    menu = _menu(client_for("citizen"))
    assert "Today" not in menu and "Offices" not in menu
    assert menu[0] == "Tools"
