"""The monthly reports: one PDF per office and month and one for the network, replaced (never
duplicated) when a month is generated again; an office's report hides the other offices'
figures built on too few people, the network's shows them; the list and downloads as each role
may see them; the coordinator's button; the schedule, the e-mails and the month a run is for."""

import datetime
import io
from types import SimpleNamespace

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from oae.network.models import OfficeRole
from oae.privacy.models import AuditEvent
from oae.reports import goals, monthly, tasks
from oae.reports.models import MonthlyReport
from oae.testing.factories import MembershipFactory
from oae.testing.reports import clients_served

# A month that has ended, whatever today is: March of last year.
YEAR, MONTH = timezone.localdate().year - 1, 3


@pytest.fixture(autouse=True)
def fresh_storage(settings):
    """A media storage of this test's own: what is left in it is what the reports left."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def _served(office, advisor, count: int, minutes: int) -> None:
    """`count` clients of the office, each with a case and a session of `minutes` in the
    month."""
    day = datetime.datetime(YEAR, MONTH, 10, 10, tzinfo=timezone.get_current_timezone())
    clients_served(office, advisor, count, day, minutes)


@pytest.fixture
def activity(people, office_a, office_b):
    """Office A serves 7 clients for 17.5 hours in the month; office B 3 clients for 12.7
    hours (too few people to show B's figures to office A's staff)."""
    _served(office_a, people["advisor_a"], 7, 150)
    _served(office_b, people["advisor_b"], 3, 254)
    return {"a": office_a, "b": office_b}


def _text(report: MonthlyReport) -> str:
    with report.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def _generate(django_capture_on_commit_callbacks, **kwargs) -> MonthlyReport:
    with django_capture_on_commit_callbacks(execute=True):
        return monthly.monthly_report_generate(year=YEAR, month=MONTH, **kwargs)


# Generating ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_generating_a_month_again_keeps_one_row_and_one_file(
    activity, django_capture_on_commit_callbacks
):
    first = _generate(django_capture_on_commit_callbacks, office=activity["a"])
    old_name = first.file.name
    assert default_storage.exists(old_name) and first.size > 1000
    again = _generate(django_capture_on_commit_callbacks, office=activity["a"])
    assert MonthlyReport.objects.filter(office=activity["a"]).count() == 1
    assert again.pk == first.pk and again.public_id == first.public_id  # the link stays
    assert default_storage.exists(again.file.name)
    assert not default_storage.exists(old_name)  # the old file is deleted from storage
    assert default_storage.listdir(f"reports/{timezone.now():%Y}")[1] == [
        again.file.name.rsplit("/", 1)[1]
    ]


@pytest.mark.django_db
def test_the_network_has_one_report_a_month_too(activity, django_capture_on_commit_callbacks):
    first = _generate(django_capture_on_commit_callbacks)
    again = _generate(django_capture_on_commit_callbacks)
    assert first.office is None and again.pk == first.pk
    assert MonthlyReport.objects.filter(office__isnull=True).count() == 1
    assert not default_storage.exists(first.file.name) and default_storage.exists(again.file.name)
    # The database refuses a second network report of a month (NULL offices are distinct).
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyReport.objects.create(
            year=YEAR, month=MONTH, file="reports/x.pdf", generated_at=timezone.now(), size=1
        )


@pytest.mark.django_db
def test_the_pdf_names_the_office_the_month_and_its_figures(
    activity, django_capture_on_commit_callbacks
):
    report = _generate(django_capture_on_commit_callbacks, office=activity["a"])
    text = _text(report)
    assert "OAE Alfa" in text
    assert f"01/{MONTH:02d}/{YEAR}" in text and str(YEAR) in text  # the period
    assert "17,5" in text  # office A's hours of advice, in the network's language (Catalan)
    assert "<svg" not in text and "%PDF" not in text


@pytest.mark.django_db
def test_an_office_report_hides_another_office_figure_on_fewer_than_5_people(
    activity, django_capture_on_commit_callbacks
):
    figures = monthly.month_figures(YEAR, MONTH)
    seen_by_a = monthly.report_context(YEAR, MONTH, activity["a"], figures)
    seen_by_network = monthly.report_context(YEAR, MONTH, None, figures)

    def place(context, code, office):
        ranking = next(r for r in context["rankings"] if r.kpi.code == code)
        return next(p for p in ranking.places if p.row.office == office), ranking

    beta, ranking = place(seen_by_a, "advice_hours", activity["b"])
    assert beta.value is None and beta.per_inhabitants is None and beta.place is None
    assert "OAE Beta" in ranking.chart.left_out and len(ranking.chart.bars) == 1
    alfa, _ranking = place(seen_by_a, "advice_hours", activity["a"])
    assert alfa.value == 17.5 and alfa.row.own  # its own, in full
    beta, ranking = place(seen_by_network, "advice_hours", activity["b"])
    assert beta.value == 12.7 and not ranking.chart.left_out
    # The PDFs say the same: B's 12.7 hours (2.54 per 10,000 inhabitants) only in the network's.
    office_text = _text(_generate(django_capture_on_commit_callbacks, office=activity["a"]))
    network_text = _text(_generate(django_capture_on_commit_callbacks))
    assert "12,7" not in office_text and "2,54" not in office_text
    assert "12,7" in network_text and "2,54" in network_text


@pytest.mark.django_db
def test_the_network_year_to_date_is_measured_against_the_sum_of_the_offices_goals(
    people, activity
):
    goals.goals_set(
        actor=people["coordinator"],
        year=YEAR,
        targets={
            (activity["a"].pk, "advice_hours"): 100,
            (activity["b"].pk, "advice_hours"): 50,
            (activity["a"].pk, "people_served"): 70,
        },
    )
    goals.goals_approve(actor=people["coordinator"], year=YEAR)
    end = datetime.date(YEAR, MONTH, 31)
    found = monthly.network_progress(YEAR, end, [activity["a"], activity["b"]])
    [hours] = found.progress
    assert hours.kpi.code == "advice_hours" and hours.target == 150
    assert hours.achieved == 30.2  # 17.5 + 12.7
    assert found.left_out == ["People served"]  # distinct people do not add up


def test_bars_are_as_long_as_their_figures_and_hidden_figures_are_left_out():
    def place(name, ratio, own=False):
        office = SimpleNamespace(name=name)
        return SimpleNamespace(row=SimpleNamespace(office=office, own=own), per_inhabitants=ratio)

    chart = monthly.bar_chart(
        [place("Alfa", 4.0, own=True), place("Beta", 2.0), place("Gamma", None)], "Hours", 3.0
    )
    assert [bar.label for bar in chart.bars] == ["Alfa", "Beta"]
    assert chart.bars[0].width == 2 * chart.bars[1].width
    assert chart.bars[0].own and chart.left_out == ["Gamma"]
    assert chart.median_x == monthly.LABEL_ROOM + 0.75 * chart.bars[0].width
    assert "Highest: Alfa (4.0); lowest: Beta (2.0)." in chart.description


# Generating every report, and the e-mails -------------------------------------------------------


@pytest.mark.django_db
def test_every_report_of_the_month_is_generated_and_mailed_to_managers_and_coordinators(
    people, activity, django_capture_on_commit_callbacks
):
    people["manager_a"].language = "es"
    people["manager_a"].save(update_fields=["language"])
    manager_b = MembershipFactory(office=activity["b"], role=OfficeRole.MANAGER).user
    with django_capture_on_commit_callbacks(execute=True):
        reports = monthly.monthly_reports_generate_all(year=YEAR, month=MONTH)
    assert [report.office for report in reports] == [None, activity["a"], activity["b"]]
    sent = {message.to[0]: message for message in mail.outbox}
    assert set(sent) == {"manager.a@example.org", manager_b.email, "coordinator@example.org"}
    links = {report.office: monthly.report_link(report) for report in reports}
    assert links[activity["a"]] in sent["manager.a@example.org"].body
    assert links[activity["b"]] in sent[manager_b.email].body
    assert links[None] in sent["coordinator@example.org"].body
    assert links[None].startswith(settings.SITE_URL)
    assert "Marzo" in sent["manager.a@example.org"].subject  # in the reader's language
    assert "Març" in sent["coordinator@example.org"].subject
    # Run again (a retry, a second run): replaced, not duplicated, and not announced twice.
    with django_capture_on_commit_callbacks(execute=True):
        monthly.monthly_reports_generate_all(year=YEAR, month=MONTH)
    assert MonthlyReport.objects.count() == 3 and len(mail.outbox) == 3
    assert len(default_storage.listdir(f"reports/{timezone.now():%Y}")[1]) == 3


def test_the_schedule_runs_the_job_on_the_first_of_each_month():
    entry = settings.CELERY_BEAT_SCHEDULE["reports-monthly"]
    assert entry["task"] == tasks.generate_monthly_reports.name
    assert entry["schedule"] == crontab(day_of_month="1", hour="6", minute="0")


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2027, 1, 1), (2026, 12)),
        (datetime.date(2026, 3, 1), (2026, 2)),
        (datetime.date(2026, 3, 31), (2026, 2)),
    ],
)
def test_the_job_is_for_the_month_before(monkeypatch, today, expected):
    asked = []
    monkeypatch.setattr(timezone, "localdate", lambda *args: today)
    monkeypatch.setattr(
        tasks, "monthly_reports_generate_all", lambda **month: asked.append(month) or []
    )
    tasks.generate_monthly_reports()
    assert asked == [{"year": expected[0], "month": expected[1]}]


@pytest.mark.django_db
def test_the_command_generates_a_month_by_hand(activity, capsys):
    call_command("generate_monthly_reports", year=YEAR, month=MONTH)
    assert f"Generated 3 report(s) of {YEAR}-{MONTH:02d}" in capsys.readouterr().out
    assert MonthlyReport.objects.filter(year=YEAR, month=MONTH).count() == 3
    today = timezone.localdate()
    with pytest.raises(CommandError, match="ended"):
        call_command("generate_monthly_reports", year=today.year, month=today.month)
    with pytest.raises(CommandError, match="both"):
        call_command("generate_monthly_reports", year=YEAR)


# The pages -------------------------------------------------------------------------------------


@pytest.fixture
def reports(activity, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        made = monthly.monthly_reports_generate_all(year=YEAR, month=MONTH)
    return {report.office: report for report in made}


def _listed(client) -> str:
    response = client.get(reverse("reports:monthly"))
    assert response.status_code == 200
    return response.content.decode()


def _download(client, report):
    return client.get(reverse("reports:monthly_download", args=[report.public_id]))


@pytest.mark.django_db
def test_office_staff_list_and_download_only_their_office_reports(client_for, reports, activity):
    page = _listed(client_for("advisor_a"))
    assert str(reports[activity["a"]].public_id) in page
    assert str(reports[activity["b"]].public_id) not in page
    assert str(reports[None].public_id) not in page
    response = _download(client_for("advisor_a"), reports[activity["a"]])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert _download(client_for("advisor_a"), reports[activity["b"]]).status_code == 404
    assert _download(client_for("advisor_a"), reports[None]).status_code == 404
    probe = AuditEvent.objects.get(action="access.denied", target_id=reports[None].public_id)
    assert probe.actor.email == "advisor.a@example.org"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["coordinator", "auditor"])
def test_the_network_roles_list_and_download_every_report(client_for, reports, persona):
    client = client_for(persona)
    page = _listed(client)
    assert all(str(report.public_id) in page for report in reports.values())
    assert page.index(str(reports[None].public_id)) < page.index("OAE Alfa")  # network first
    for report in reports.values():
        assert _download(client, report).status_code == 200
    assert ("Generate last month" in page) == (persona == "coordinator")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["readonly_a", "advisor_a", "manager_a", "auditor"])
def test_only_the_coordinator_generates_a_month_again(client_for, persona):
    response = client_for(persona).post(
        reverse("reports:monthly_generate"), {"year": YEAR, "month": MONTH}
    )
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="reports.monthly.regenerate").exists()


@pytest.mark.django_db
def test_the_coordinator_generates_a_month_again_and_it_replaces_the_reports(
    client_for, reports, django_capture_on_commit_callbacks
):
    before = {report.pk: report.file.name for report in reports.values()}
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("coordinator").post(
            reverse("reports:monthly_generate"), {"year": YEAR, "month": MONTH}, follow=True
        )
    assert "being generated again" in response.content.decode()
    after = {report.pk: report.file.name for report in MonthlyReport.objects.all()}
    assert set(after) == set(before)  # the same rows
    assert all(not default_storage.exists(name) for name in before.values())
    assert all(default_storage.exists(name) for name in after.values())
    event = AuditEvent.objects.get(action="reports.monthly.regenerate")
    assert event.actor.email == "coordinator@example.org"
    assert event.details == {"year": YEAR, "month": MONTH}
    assert len(mail.outbox) == 2  # A's manager and the coordinator, once: the links still work


@pytest.mark.django_db
def test_a_month_that_has_not_ended_is_refused_with_a_message(client_for):
    today = timezone.localdate()
    response = client_for("coordinator").post(
        reverse("reports:monthly_generate"),
        {"year": today.year, "month": today.month},
        follow=True,
    )
    assert response.status_code == 200
    assert "Only a month that has ended" in response.content.decode()
    assert not AuditEvent.objects.filter(action="reports.monthly.regenerate").exists()


@pytest.mark.django_db
def test_the_network_page_links_to_the_monthly_reports(client_for):
    page = client_for("advisor_a").get(reverse("reports:network")).content.decode()
    assert reverse("reports:monthly") in page


def _stand_ins(office, months: range) -> None:
    for month in months:
        MonthlyReport.objects.create(
            office=office,
            year=YEAR,
            month=month,
            file=f"reports/stand-in-{month}.pdf",
            generated_at=timezone.now(),
            size=10,
        )


@pytest.mark.django_db
def test_the_list_reads_a_page_in_the_same_queries_however_many_reports(client_for, office_a):
    client = client_for("coordinator")
    _stand_ins(office_a, range(1, 3))
    with CaptureQueriesContext(connection) as few:
        _listed(client)
    _stand_ins(None, range(1, 13))
    with CaptureQueriesContext(connection) as many:
        page = _listed(client)
    assert len(many) == len(few)
    assert page.index(f"{YEAR}-12") < page.index(f"{YEAR}-02")  # the newest month first
