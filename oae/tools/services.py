"""Writes of the advisory tools' data that coordinators maintain."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from oae.privacy.services import audit_record
from oae.tools.diagnosis import content_problems
from oae.tools.eligibility import rules_problems
from oae.tools.legal_form import guide_problems
from oae.tools.models import FinancingProgramme, FiscalParameters, LegalFormGuide, Questionnaire


@transaction.atomic
def parameters_save(*, actor, row: FiscalParameters) -> FiscalParameters:
    """Save a year's values; a new version each time, so saved plans keep the values they used
    (they store them) and people can see which version a plan was computed with."""
    creating = row.pk is None
    row.updated_by = actor
    row.full_clean()
    row.save()
    if not creating:
        FiscalParameters.objects.filter(pk=row.pk).update(version=F("version") + 1)
        row.refresh_from_db(fields=["version"])
    audit_record(
        action="tools.parameters.save",
        actor=actor,
        target=None,
        details={"year": row.year, "version": row.version},
    )
    return row


@transaction.atomic
def questionnaire_draft_save(*, actor, code: str, content: dict) -> Questionnaire:
    """Save the draft of the next version (created from the latest one when missing)."""
    problems = content_problems(content)
    if problems:
        raise ValidationError(problems)
    latest = Questionnaire.objects.filter(code=code).order_by("-version").first()
    if latest is not None and latest.published_at is None:
        draft = latest
    else:
        draft = Questionnaire(code=code, version=(latest.version + 1) if latest else 1)
    draft.content, draft.updated_by = content, actor
    draft.save()
    audit_record(
        action="tools.questionnaire.save",
        actor=actor,
        details={"code": code, "version": draft.version},
    )
    return draft


@transaction.atomic
def questionnaire_publish(*, actor, code: str) -> Questionnaire:
    """Publish the draft: from now on people answer this version; results keep theirs."""
    draft = Questionnaire.objects.filter(code=code, published_at__isnull=True).first()
    if draft is None:
        raise ValidationError(_("There is no draft to publish."))
    draft.published_at = timezone.now()
    draft.save(update_fields=["published_at"])
    audit_record(
        action="tools.questionnaire.publish",
        actor=actor,
        details={"code": code, "version": draft.version},
    )
    return draft


@transaction.atomic
def programme_save(*, actor, programme: FinancingProgramme) -> FinancingProgramme:
    """Save a programme of the catalogue once its eligibility rules are checked."""
    problems = rules_problems(programme.rules if isinstance(programme.rules, dict) else {})
    if not isinstance(programme.rules, dict):
        problems.insert(0, _("The rules must be a JSON object."))
    if problems:
        raise ValidationError({"rules": problems})
    programme.full_clean()
    programme.save()
    audit_record(action="tools.programme.save", actor=actor, details={"code": programme.code})
    return programme


@transaction.atomic
def legal_guide_save(*, actor, content: dict) -> LegalFormGuide:
    """Save the legal-form guide of the year it names (checked first)."""
    problems = guide_problems(content)
    if problems:
        raise ValidationError(problems)
    guide, _created = LegalFormGuide.objects.update_or_create(
        year=content["year"], defaults={"content": content, "updated_by": actor}
    )
    audit_record(action="tools.legal_guide.save", actor=actor, details={"year": guide.year})
    return guide
