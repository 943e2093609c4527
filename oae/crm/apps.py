from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "oae.crm"
    label = "crm"

    def ready(self) -> None:
        # Imported once apps are ready: the registry's parts name models.
        from oae.crm import models
        from oae.crm.privacy_services import crm_person_erase, crm_personal_data
        from oae.privacy.registry import exempt_from_personal_data, register_personal_data

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
        exempt_from_personal_data(
            models.Company,
            reason="a company's register data; the people behind it are linked Person records",
        )
