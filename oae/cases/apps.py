"""Case management's app: what it registers with the domains below it once apps are ready."""

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "oae.cases"
    label = "cases"

    def ready(self) -> None:
        # Imported once apps are ready: the registries' parts name models.
        from oae.cases import models, privacy, selectors
        from oae.crm.sections import PersonSection, register_person_section
        from oae.privacy.registry import exempt_from_personal_data, register_personal_data

        register_personal_data(
            domain="cases",
            models=privacy.PERSONAL_MODELS,
            export=privacy.person_case_data,
            erase=privacy.person_case_erase,
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
