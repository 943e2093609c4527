"""Sections that higher domains add to the person page (a person's cases, tool results...):
crm stands below them and cannot import them, so each registers its section from its own
`AppConfig.ready()`, the way apps register with Django's admin."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PersonSection:
    key: str  # "cases", "tool_results": one section per key
    template: str  # included by crm/person_detail.html, given the context as `section`
    context: Callable  # context(user, person) -> dict, already scoped to the user
    order: int = 100  # smaller first
    # Buttons beside the page's title (open a case, the tools…), given the same context.
    actions_template: str = ""


_SECTIONS: dict[str, PersonSection] = {}


def register_person_section(section: PersonSection) -> None:
    """Show `section` on every person page from now on; registering a key again replaces
    the section it had (so a reloaded app does not show its section twice)."""
    _SECTIONS[section.key] = section


def person_sections(user, person) -> list[tuple[PersonSection, dict]]:
    """Each registered section, by order then key, with its context for this user and person."""
    ordered = sorted(_SECTIONS.values(), key=lambda section: (section.order, section.key))
    return [(section, section.context(user, person)) for section in ordered]
