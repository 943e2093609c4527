"""Case management's app: what it registers with the domains below it once apps are ready."""

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "oae.cases"
    label = "cases"

    def ready(self) -> None:
        # Imported once apps are ready: the registries' parts name models.
        from oae.cases import access, models, privacy, selectors
        from oae.crm.sections import PersonSection, register_person_section
        from oae.privacy.activity import register_activity  # names models: once apps are ready
        from oae.privacy.registry import (
            exempt_from_personal_data,
            register_audited_records,
            register_personal_data,
        )

        register_personal_data(
            domain="cases",
            models=privacy.PERSONAL_MODELS,
            export=privacy.person_case_data,
            erase=privacy.person_case_erase,
        )
        # Retention counts from a person's last activity; cases' part (model, way to the
        # person, the date, its category in settings.RETENTION_YEARS).
        for model, person, date, category in [
            (models.Case, "person", "opened_at", "advice"),
            (models.Case, "person", "closed_at", "advice"),
            (models.Session, "person", "started_at", "advice"),
            (models.Referral, "case__person", "created_at", "advice"),
            (models.SurveyResponse, "case__person", "answered_at", "advice"),
            (models.Appointment, "person", "starts_at", "contact"),
        ]:
            register_activity(
                domain="cases", category=category, model=model, person=person, date=date
            )
        register_audited_records(
            models.Case, readable_by=access.cases_for, of_person=privacy.cases_of
        )
        register_audited_records(
            models.Appointment,
            readable_by=access.appointments_for,
            of_person=privacy.appointments_of,
        )
        exempt_from_personal_data(
            models.ProcessTemplate, reason="a process as the network published it: no client"
        )
        exempt_from_personal_data(
            models.AvailabilitySlot,
            models.AvailabilityException,
            models.CalendarFeed,
            reason="an advisor's own working hours, days away and calendar address",
        )
        register_person_section(
            PersonSection(
                key="cases",
                template="cases/_person_cases.html",
                actions_template="cases/_person_case_actions.html",
                context=selectors.person_cases_section,
                order=40,  # first: a case is what an advisor opens a person for
            )
        )
