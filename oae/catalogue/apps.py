from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "oae.catalogue"
    label = "catalogue"

    def ready(self) -> None:
        from django.apps import apps

        # Before any URL map is read: the catalogue's urls name the `<kind:…>` converter.
        from oae.catalogue import converters

        converters.register()

        # Imported once apps are ready: the registry needs the models.
        from oae.catalogue import models
        from oae.privacy.registry import exempt_from_personal_data

        codesign = {
            models.Proposal,
            models.ProposalRevision,
            models.ProposalEvidence,
            models.ProposalComment,
            models.ProposalSupport,
            models.ProposalNotice,
            models.ConsultationRound,
            models.ConsultationAnswer,
        }
        exempt_from_personal_data(
            *(m for m in apps.get_app_config(self.label).get_models() if m not in codesign),
            reason="the operating model's content and its search index: no client data",
        )
        exempt_from_personal_data(
            *codesign,
            reason="offices' staff proposing and discussing the model: their work, no client data",
        )
