"""The satisfaction survey sent when a case closes: an e-mail link with a signed token, no
login; one answer per case (0–10 and a comment), kept with the case and its office. Closing a
case prepares the survey and queues its e-mail (`services.case_close`)."""

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from oae.cases.models import SurveyResponse
from oae.privacy.services import audit_record

SURVEY_SALT = "oae.cases.survey"
SURVEY_MAX_AGE = 60 * 60 * 24 * 30  # a month to answer


class SurveyLinkError(Exception):
    """The link is forged, expired or already used; the message says which, for the client."""


def survey_token(survey: SurveyResponse) -> str:
    return signing.dumps({"survey": survey.pk}, salt=SURVEY_SALT)


def survey_send(*, survey_id: int) -> bool:
    """E-mail the link once (claimed under a row lock, so a repeated job sends nothing)."""
    with transaction.atomic():
        survey = (
            SurveyResponse.objects.select_for_update(of=("self",))
            .select_related("case__person", "office")
            .get(pk=survey_id)
        )
        person = survey.case.person
        if survey.sent_at is not None or person is None or not person.email:
            return False
        link = settings.SITE_URL.rstrip("/") + reverse("cases:survey", args=[survey_token(survey)])
        send_mail(
            _("How did %(office)s help you?") % {"office": survey.office},
            _(
                "Your case at %(office)s is closed. Two questions, one minute, no sign-in:\n\n"
                "%(link)s\n\nThank you."
            )
            % {"office": survey.office, "link": link},
            None,
            [person.email],
        )
        survey.sent_at = timezone.now()
        survey.save(update_fields=["sent_at"])
    return True


def survey_from_token(token: str) -> SurveyResponse:
    try:
        data = signing.loads(token, salt=SURVEY_SALT, max_age=SURVEY_MAX_AGE)
    except signing.SignatureExpired as error:
        raise SurveyLinkError(_("This survey link has expired.")) from error
    except signing.BadSignature as error:
        raise SurveyLinkError(_("This survey link is not valid.")) from error
    survey = SurveyResponse.objects.select_related("office").filter(pk=data.get("survey")).first()
    if survey is None:
        raise SurveyLinkError(_("This survey link is not valid."))
    if survey.answered_at is not None:
        raise SurveyLinkError(_("This survey has already been answered. Thank you!"))
    return survey


@transaction.atomic
def survey_answer(*, token: str, score, comment: str = "") -> SurveyResponse:
    survey = survey_from_token(token)
    survey = SurveyResponse.objects.select_for_update().get(pk=survey.pk)
    if survey.answered_at is not None:  # two tabs submitted at once
        raise SurveyLinkError(_("This survey has already been answered. Thank you!"))
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = -1
    if not 0 <= score <= 10:
        raise ValidationError({"score": _("Choose a score from 0 to 10.")})
    survey.score, survey.comment = score, (comment or "").strip()[:2000]
    survey.answered_at = timezone.now()
    survey.save(update_fields=["score", "comment", "answered_at"])
    audit_record(
        action="cases.survey.answer",
        actor_label="client",
        target=survey.case,
        office=survey.office,
        details={"score": score},
    )
    return survey
