from django.apps import AppConfig

from oae.crm.sections import PersonSection, register_person_section


class ToolsConfig(AppConfig):
    name = "oae.tools"
    label = "tools"

    def ready(self) -> None:
        # Imported once apps are ready: the registry's parts name models.
        from oae.privacy import registry
        from oae.privacy.activity import register_activity  # names models: once apps are ready
        from oae.tools import models, privacy, selectors

        registry.register_personal_data(
            domain="tools",
            models=privacy.PERSONAL_MODELS,
            export=privacy.person_tool_data,
            erase=privacy.person_tool_erase,
        )
        # Retention counts from a person's last activity: a result kept with them is advice.
        register_activity(
            domain="tools",
            category="advice",
            model=models.ToolResult,
            person="person",
            date="created_at",
        )
        registry.register_audited_records(
            models.ToolResult,
            readable_by=selectors.tool_results_for,
            of_person=privacy.results_of,
        )
        registry.exempt_from_personal_data(
            models.FiscalParameters,
            models.FinancingProgramme,
            models.Questionnaire,
            models.LegalFormGuide,
            reason="the tools' reference data, kept by the coordinators",
        )
        register_person_section(
            PersonSection(
                key="tool_results",
                template="tools/_person_results.html",
                actions_template="tools/_person_tool_actions.html",
                context=selectors.person_tool_results,
                order=50,  # after the cases
            )
        )
