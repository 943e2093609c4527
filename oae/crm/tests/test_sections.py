"""The person page's sections that higher domains register (crm.sections)."""

import pytest

from oae.crm import sections


@pytest.fixture(autouse=True)
def _no_sections(monkeypatch):
    """Each test starts from an empty registry; the apps' own sections come back after it."""
    monkeypatch.setattr(sections, "_SECTIONS", {})


def _section(key, order=100, seen=None):
    def context(user, person):
        if seen is not None:
            seen.append((key, user, person))
        return {"key": key}

    return sections.PersonSection(key=key, template=f"{key}.html", context=context, order=order)


def test_sections_come_in_their_order_with_their_context_for_the_user_and_person():
    seen = []
    sections.register_person_section(_section("tool_results", order=20, seen=seen))
    sections.register_person_section(_section("cases", order=10, seen=seen))
    found = sections.person_sections("the user", "the person")
    assert [(section.key, context) for section, context in found] == [
        ("cases", {"key": "cases"}),
        ("tool_results", {"key": "tool_results"}),
    ]
    assert seen == [("cases", "the user", "the person"), ("tool_results", "the user", "the person")]


def test_sections_of_the_same_order_come_by_key():
    for key in ("b", "c", "a"):
        sections.register_person_section(_section(key))
    assert [section.key for section, _ in sections.person_sections(None, None)] == ["a", "b", "c"]


def test_registering_a_key_again_replaces_its_section():
    sections.register_person_section(_section("cases", order=10))
    sections.register_person_section(_section("cases", order=30))
    found = sections.person_sections(None, None)
    assert [(section.key, section.order) for section, _ in found] == [("cases", 30)]


def test_no_section_registered_means_none_shown():
    assert sections.person_sections(None, None) == []
