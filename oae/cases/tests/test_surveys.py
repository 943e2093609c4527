"""The satisfaction survey: sent once at closure; the signed link works once, expires, and a
forged one is refused."""

import pytest
from django.urls import reverse

from oae.cases import services, surveys
from oae.cases.models import SurveyResponse
from oae.privacy.models import AuditEvent


@pytest.fixture
def closed(case_a, people, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.case_close(
            actor=people["advisor_a"],
            case=case_a,
            reason="goals_met",
            note="",
            expected_version=case_a.lock_version,
        )
    return case_a


@pytest.fixture
def client(client):
    client.cookies["django_language"] = "en"  # the public pages default to Catalan
    return client


@pytest.mark.django_db
def test_closing_sends_the_survey_once(closed, mailoutbox):
    survey = SurveyResponse.objects.get(case=closed)
    assert survey.sent_at is not None
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["anna@example.org"]
    assert surveys.survey_send(survey_id=survey.pk) is False  # a repeated job sends nothing
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_the_link_in_the_mail_records_one_answer(closed, mailoutbox, client):
    link = next(word for word in mailoutbox[0].body.split() if "/survey/" in word)
    path = link.split("127.0.0.1:8000")[-1]
    assert client.get(path).status_code == 200
    response = client.post(path, {"score": "9", "comment": "Molt útil"})
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    survey = SurveyResponse.objects.get(case=closed)
    assert (survey.score, survey.comment, survey.office) == (9, "Molt útil", closed.office)
    answered = AuditEvent.objects.get(action="cases.survey.answer")
    assert (answered.target_id, answered.details) == (str(closed.public_id), {"score": 9})
    reused = client.post(path, {"score": "1"})
    assert reused.status_code == 410 and "already been answered" in reused.content.decode()
    assert SurveyResponse.objects.get(case=closed).score == 9


@pytest.mark.django_db
def test_a_forged_or_expired_link_is_refused(closed, client, monkeypatch):
    token = surveys.survey_token(closed.survey)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    response = client.get(reverse("cases:survey", args=[forged]))
    assert response.status_code == 410 and "not valid" in response.content.decode()
    monkeypatch.setattr(surveys, "SURVEY_MAX_AGE", -1)
    expired = client.get(reverse("cases:survey", args=[token]))
    assert expired.status_code == 410 and "expired" in expired.content.decode()


@pytest.mark.django_db
def test_a_score_out_of_range_is_refused_with_a_message(closed, client):
    token = surveys.survey_token(closed.survey)
    response = client.post(reverse("cases:survey", args=[token]), {"score": "11"})
    assert response.status_code == 200
    assert SurveyResponse.objects.get(case=closed).answered_at is None
