"""The demo's training tells its story: the framework, the three starter modules and the job
profiles; an induction held three weeks ago that Sant Boi's and Badalona's advisors completed
the day it was held; Joana Riera, Sant Boi's new advisor, certified by the induction held two
days ago, her certificate's credential valid; today's induction under way, attendance to
record; an induction coming with places left; a viability course already full, with Sant Boi's
advisor waiting; Sant Boi's staffing plan with an advisor's post vacant. Loaded again, it
changes nothing."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from oae.accounts.models import User
from oae.devdata.demo.network import demo_network_load
from oae.devdata.demo.training import training_demo_load
from oae.network.models import Office
from oae.privacy.models import AuditEvent
from oae.training import certificates, selectors
from oae.training.models import (
    Certificate,
    Competence,
    Enrolment,
    JobProfile,
    Module,
    ModuleCompetence,
    Position,
    RoleRequirement,
    TrainingSession,
)
from oae.training.staffing import staffing_plan

SANT_BOI = "tecnic.santboi@xarxa-oae.example"
BADALONA = "tecnic.badalona@xarxa-oae.example"
ITINERANT = "tecnic.itinerant@xarxa-oae.example"
NEW_ADVISOR = "tecnica.nova.santboi@xarxa-oae.example"
MODELS = (
    Competence,
    RoleRequirement,
    Module,
    ModuleCompetence,
    TrainingSession,
    Enrolment,
    Certificate,
    Position,
    JobProfile,
)


def _rows() -> dict:
    rows = {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}
    rows["audit"] = list(AuditEvent.objects.filter(action__startswith="training.").values("pk"))
    return rows


@pytest.mark.django_db
def test_the_demo_training_loads_its_story_once():
    call_command("load_reference_data")
    demo_network_load()
    assert training_demo_load() == 5
    first = _rows()
    assert training_demo_load() == 0
    assert _rows() == first

    assert (Competence.objects.count(), Module.objects.count()) == (20, 3)
    assert JobProfile.objects.count() == 3
    held, joana, today, coming, full = TrainingSession.objects.order_by("starts_at")
    assert [s.module.code for s in (held, joana, today, coming, full)] == [
        "induction",
        "induction",
        "induction",
        "induction",
        "viability",
    ]
    assert held.ends_at < held.created_at and coming.starts_at > coming.created_at
    completed = held.enrolments.order_by("user__email")
    assert [(e.user.email, e.attended, e.passed) for e in completed] == [
        (BADALONA, True, True),
        (SANT_BOI, True, True),
    ]
    assert {e.completed_at for e in completed} == {held.ends_at}
    certificate = Certificate.objects.get(user__email=NEW_ADVISOR)
    assert certificate.enrolment.session == joana and not certificate.revoked
    assert certificates.credential_check(certificate.credential).valid
    assert today.starts_at < today.created_at < today.ends_at  # under way
    assert [(e.user.email, e.attended) for e in today.enrolments.all()] == [
        ("consulta.santboi@xarxa-oae.example", None)
    ]
    assert [(e.user.email, e.status) for e in coming.enrolments.all()] == [(ITINERANT, "enrolled")]
    assert selectors.places_left(coming) == coming.capacity - 1 > 0
    assert [(e.user.email, e.status) for e in full.enrolments.all()] == [
        (BADALONA, "enrolled"),
        (SANT_BOI, "waiting"),
    ]
    assert selectors.places_left(full) == 0

    santboi = User.objects.get(email=SANT_BOI)
    gap = {g.competence.code: g for g in selectors.gaps(santboi, "advisor")}
    assert not gap["OAE4"].missing and gap["OAE1"].missing  # induction done, viability waited
    plan = staffing_plan(Office.objects.get(name__contains="Sant Boi"), timezone.localdate())
    advisors = next(line for line in plan.jobs if line.job == "advisor")
    assert advisors.vacancy > 0
