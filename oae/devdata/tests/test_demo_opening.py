"""The demo's opening paths tell their story: one municipality in each stage of the playbook,
Gavà stalled, Barcelona's agreement ending soon, el Prat's staff gone, Sant Boi's path complete
and reviewed (its scorecard computed when opened), Badalona's agreement renewed; Viladecans's
council officer signs in to their path, which makes no calendar address; loaded once."""

import os

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from oae.devdata.demo.network import DEMO_PASSWORD
from oae.devdata.demo.opening import CONTACT_LOGIN, opening_demo_load
from oae.opening import playbook, selectors
from oae.opening.models import Agreement, DueDateFeed, ItemState, Path


@pytest.mark.django_db
def test_the_demo_paths_tell_their_story_once():
    call_command("load_demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    paths = Path.objects.select_related("municipality", "office", "version")
    rows = {row.path.municipality.name: row for row in selectors.board_rows(paths)}
    stages = [stage["key"] for stage in playbook.stages(paths[0].version.content)]
    assert {row.path.stage_key for row in rows.values()} == set(stages)
    assert rows["Gavà"].stalled
    assert rows["Barcelona"].agreement_expiring
    assert rows["Sant Boi de Llobregat"].path.complete
    assert not any(row.stalled for name, row in rows.items() if name != "Gavà")
    undone = ItemState.objects.filter(undone_at__isnull=False, done_at__isnull=True)
    assert [(s.path.municipality.name, s.item_key) for s in undone] == [
        ("el Prat de Llobregat", "staff_in_place")
    ]
    badalona = Agreement.objects.filter(municipality__name="Badalona")
    assert badalona.count() == 2 and badalona.filter(renews__isnull=False).count() == 1
    (review,) = Path.objects.get(municipality__name="Sant Boi de Llobregat").reviews.all()
    assert review.scorecard["year"] == review.year
    assert [f["code"] for f in review.scorecard["figures"]] == list(selectors.SCORECARD_KPIS)

    client = Client()
    assert client.login(email=CONTACT_LOGIN, password=DEMO_PASSWORD)
    viladecans = Path.objects.get(municipality__name="Viladecans")
    response = client.get(reverse("opening:board"))
    assert response["Location"] == reverse("opening:path", args=[viladecans.public_id])
    page = client.get(response["Location"])
    assert page.status_code == 200 and page.context["feed_url"] == ""
    assert not DueDateFeed.objects.filter(user__email=CONTACT_LOGIN).exists()

    assert opening_demo_load() == 0
    assert Path.objects.count() == len(rows)
