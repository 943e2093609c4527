from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "oae.training"
    label = "training"
    verbose_name = "Training and staffing"

    def ready(self) -> None:
        # Imported once apps are ready: the registry names models.
        from oae.privacy.registry import exempt_from_personal_data
        from oae.training import models

        for model in (
            models.Competence,
            models.RoleRequirement,
            models.Module,
            models.ModuleCompetence,
            models.TrainingSession,
            models.Position,
            models.JobProfile,
            models.OfficeJobProfile,
        ):
            exempt_from_personal_data(
                model, reason="the network's framework, curriculum and staffing plans"
            )
        for model in (models.Enrolment, models.Certificate):
            exempt_from_personal_data(
                model, reason="staff's training record: the staff's own, like a membership"
            )
