"""Optimistic locking cannot be skipped: every edit form of a versioned record, posted as the
browser sends it but without its version (or with one that is not a version), is refused with
a message and changes nothing; with its version, it saves."""

from html.parser import HTMLParser
from typing import NamedTuple

import pytest
from django.contrib.messages import get_messages
from django.db.models import Model
from django.urls import reverse

from oae.cases.models import Case
from oae.cases.services import case_open
from oae.catalogue import services as catalogue
from oae.catalogue.models import DraftItem, OfficeItem, ProcedureVariant
from oae.common.concurrency import MISSING_VERSION
from oae.testing.catalogue import build_small_model, i18n, service_content
from oae.testing.crm import client_with_company


class Edit(NamedTuple):
    """Who edits a record, on which page, posting its form to `action` (the page itself when
    None), with its version in `field`."""

    persona: str
    record: Model
    page_url: str
    action: str | None = None

    @property
    def field(self) -> str:
        return "version" if isinstance(self.record, Case) else "lock_version"

    def version(self) -> int:
        return type(self.record).objects.get(pk=self.record.pk).lock_version


BAD_VERSIONS = [None, "", "abc", "0", "-1", "1.5", "99999999999999999999999999"]


class _Forms(HTMLParser):
    """The forms of a page as a browser would post them: {action: {name: value or [values]}}."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, dict] = {}
        self._form = self._select = self._first_option = self._textarea = None

    def _put(self, name, value):
        if name in self._form and self._form[name] != value:
            values = self._form[name]
            self._form[name] = [*values, value] if isinstance(values, list) else [values, value]
        else:
            self._form[name] = value

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = self.forms.setdefault(attrs.get("action") or "", {})
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = attrs.get("value", "")
            if "selected" in attrs:
                self._put(self._select, attrs.get("value", ""))
        elif self._form is None or "name" not in attrs or "disabled" in attrs:
            return
        elif tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file"):
                self._put(attrs["name"], attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select":
            self._select, self._first_option = attrs["name"], None
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self._form[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self._form[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            # A browser sends the first option of a list where none is chosen.
            if self._select not in self._form and self._first_option is not None:
                self._form[self._select] = self._first_option
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _form_on(client, page_url: str, action: str | None = None) -> dict:
    parser = _Forms()
    parser.feed(client.get(page_url).content.decode())
    return parser.forms[action or ""]  # an edit page posts to itself


def _with_version(data: dict, field: str, version) -> dict:
    data = {k: v for k, v in data.items() if k not in (field, "csrfmiddlewaretoken")}
    if version is not None:
        data[field] = version
    return data


@pytest.fixture
def editable(db, people, office_a):
    """Each versioned record a person of office A edits, with who edits it and where."""
    build_small_model()
    version = catalogue.network_publish(actor=None, changelog="v1")
    catalogue.office_catalogue_adopt(actor=None, office=office_a, version=version)
    catalogue.office_local_item_save(
        actor=None, office=office_a, kind="service", code="fira", content=service_content("Fira")
    )
    catalogue.procedure_variant_save(
        actor=None,
        municipality=office_a.municipality,
        procedure_code="alta-censal",
        data={"where": i18n("AEAT"), "local_fee": i18n(""), "local_form_url": ""},
        expected_version=None,
    )
    person, company = client_with_company(office_a)
    case = case_open(
        actor=people["advisor_a"],
        office=office_a,
        service_code="crear",
        advisor=people["advisor_a"],
        person=person,
    )
    catalogue_url = f"/staff/offices/{office_a.public_id}/catalogue/"
    case_url = reverse("cases:detail", args=[case.public_id])
    office_item = OfficeItem.objects.filter(office=office_a)

    def case_form(name, *args):
        return Edit("advisor_a", case, case_url, reverse(name, args=[case.public_id, *args]))

    return {
        "person": Edit("advisor_a", person, reverse("crm:person_edit", args=[person.public_id])),
        "company": Edit(
            "advisor_a", company, reverse("crm:company_edit", args=[company.public_id])
        ),
        "office": Edit(
            "manager_a", office_a, reverse("network:office_edit", args=[office_a.public_id])
        ),
        "draft item": Edit(
            "coordinator",
            DraftItem.objects.get(code="crear"),
            reverse("catalogue:item_edit", args=["service", "crear"]),
        ),
        "office wording": Edit(
            "manager_a",
            office_item.get(code="crear"),
            f"{catalogue_url}service/crear/adapt/",
        ),
        "office's own item": Edit(
            "manager_a", office_item.get(code="fira"), f"{catalogue_url}local/service/fira/"
        ),
        "municipal variant": Edit(
            "manager_a",
            ProcedureVariant.objects.get(),
            f"{catalogue_url}procedures/alta-censal/variant/",
        ),
        "case state": case_form("cases:update"),
        "case closing": case_form("cases:close"),
        "case step": case_form("cases:step_complete", "acollida"),
    }


THINGS = [
    "person",
    "company",
    "office",
    "draft item",
    "office wording",
    "office's own item",
    "municipal variant",
    "case state",
    "case closing",
    "case step",
]


@pytest.mark.parametrize("thing", THINGS)
@pytest.mark.parametrize("version", BAD_VERSIONS)
def test_an_edit_without_a_valid_version_is_refused_with_a_message(
    client_for, editable, thing, version
):
    edit = editable[thing]
    client = client_for(edit.persona)
    data = _form_on(client, edit.page_url, edit.action)
    assert edit.field in data  # the page sends it: only a forged or broken post lacks it
    before = edit.version()

    response = client.post(edit.action or edit.page_url, _with_version(data, edit.field, version))

    assert response.status_code in (200, 302)
    shown = response.content.decode() if response.status_code == 200 else ""
    told = [str(m) for m in get_messages(response.wsgi_request)]
    assert str(MISSING_VERSION) in shown.replace("&#x27;", "'") or str(MISSING_VERSION) in told
    assert edit.version() == before


@pytest.mark.parametrize("thing", THINGS)
def test_the_same_edit_with_its_version_is_saved(client_for, editable, thing):
    edit = editable[thing]
    client = client_for(edit.persona)
    data = _form_on(client, edit.page_url, edit.action)
    before = edit.version()
    if thing == "case state":
        data["state"] = "on_hold"  # the same state and advisor again change nothing

    response = client.post(edit.action or edit.page_url, _with_version(data, edit.field, before))

    assert response.status_code == 302
    assert edit.version() == before + 1


@pytest.mark.django_db
def test_a_case_is_reopened_only_with_its_version(client_for, editable):
    case = editable["case closing"].record
    client = client_for("advisor_a")
    client.post(
        reverse("cases:close", args=[case.public_id]),
        {"reason": "goals_met", "version": case.lock_version},
    )
    closed = Case.objects.get(pk=case.pk)
    assert closed.closed_at is not None
    reopen = reverse("cases:reopen", args=[case.public_id])

    response = client.post(reopen, {"reason": "Torna"})

    assert str(MISSING_VERSION) in [str(m) for m in get_messages(response.wsgi_request)]
    assert Case.objects.get(pk=case.pk).closed_at is not None
    client.post(reopen, {"reason": "Torna", "version": closed.lock_version})
    assert Case.objects.get(pk=case.pk).closed_at is None
