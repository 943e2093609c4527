from django.apps import AppConfig

from oae.crm.sections import PersonSection, register_person_section


class ToolsConfig(AppConfig):
    name = "oae.tools"
    label = "tools"

    def ready(self) -> None:
        # Imported once apps are ready: the registry's parts name models.
        from oae.privacy.registry import exempt_from_personal_data, register_personal_data
        from oae.tools import models, privacy, selectors

        register_personal_data(
            domain="tools",
            models=privacy.PERSONAL_MODELS,
            export=privacy.person_tool_data,
            erase=privacy.person_tool_erase,
        )
        exempt_from_personal_data(
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
