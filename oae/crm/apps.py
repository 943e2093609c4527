from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "oae.crm"
    label = "crm"

    def ready(self) -> None:
        # Imported once apps are ready: the registry's parts name models.
        from oae.crm import access, models
        from oae.crm.privacy_services import crm_person_erase, crm_personal_data
        from oae.privacy.activity import register_activity  # names models: once apps are ready
        from oae.privacy.registry import (
            exempt_from_personal_data,
            register_audited_records,
            register_personal_data,
        )

        register_personal_data(
            domain="crm",
            models=[
                models.Person,
                models.ConsentEvent,
                models.PersonCompany,
                models.DataRequest,
                models.PersonMerge,
                models.ImportJob,
                models.NameWord,
            ],
            export=crm_personal_data,
            erase=crm_person_erase,
        )
        # Retention counts from a person's last activity; crm's part: their registration and
        # consents (the record's later edits are not the person coming back).
        register_activity(
            domain="crm", category="contact", model=models.Person, person="pk", date="created_at"
        )
        register_activity(
            domain="crm",
            category="contact",
            model=models.ConsentEvent,
            person="person",
            date="occurred_at",
        )
        # A row about a person names them: only those who may read the person see the name.
        register_audited_records(models.Person, readable_by=access.people_for)
        exempt_from_personal_data(
            models.ImportMapping,
            reason="an office's column headers and the fields they hold; no cell of a file",
        )
        exempt_from_personal_data(
            models.Company,
            reason="a company's register data; the people behind it are linked Person records",
        )
