"""The personal-data registry: every model of the project is classified, and a copy and an
erasure reach every registered domain."""

import pytest
from django.apps import apps

from oae.privacy import registry


def _project_models():
    return [m for m in apps.get_models() if m.__module__.startswith("oae.")]


def test_every_model_of_the_project_is_registered_or_exempt():
    assert registry.unclassified_models(_project_models()) == []


def test_a_model_nobody_classified_is_named(monkeypatch):
    from oae.tools.models import ToolResult

    parts = {
        domain: part for domain, part in registry._PARTS.items() if ToolResult not in part.models
    }
    monkeypatch.setattr(registry, "_PARTS", parts)
    assert registry.unclassified_models(_project_models()) == ["tools.ToolResult"]


def test_every_domain_with_clients_registers_its_part():
    domains = {part.domain for part in registry.personal_data_parts()}
    assert {"privacy", "crm", "cases", "tools"} <= domains


def test_an_exemption_needs_its_reason():
    from oae.reference.models import CnaeActivity

    with pytest.raises(ValueError):
        registry.exempt_from_personal_data(CnaeActivity, reason=" ")


@pytest.mark.django_db
def test_a_row_holds_the_stored_values_with_dates_as_text(office_a):
    row = registry.as_row(office_a, exclude=("id", "lock_version"))
    assert row["name"] == office_a.name
    assert row["municipality"] == office_a.municipality_id
    assert row["created_at"] == office_a.created_at.isoformat()
    assert "id" not in row and "lock_version" not in row


def test_the_audit_trails_part_runs_first():
    """Erasure finds the audit rows about a person's records (their cases, their results)
    before the domain that holds a record deletes it (tools deletes results)."""
    assert registry.personal_data_parts()[0].domain == "privacy"


def test_labels_of_exempt_models_only_are_shown_to_everyone():
    from oae.accounts.models import User
    from oae.crm.models import Person
    from oae.network.models import Office

    assert not registry.label_names_someone(Office)
    assert registry.label_names_someone(Person)
    assert registry.label_names_someone(User)  # exempt, but registered as audited records
    assert registry.label_names_someone(None)  # a kind nobody knows: by reference
