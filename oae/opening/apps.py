from django.apps import AppConfig


class OpeningConfig(AppConfig):
    name = "oae.opening"
    label = "opening"
    verbose_name = "Opening and follow-up"

    def ready(self) -> None:
        # Imported once apps are ready: the registry names models.
        from oae.opening import models
        from oae.privacy.registry import exempt_from_personal_data

        for model in (models.PlaybookDraft, models.PlaybookVersion):
            exempt_from_personal_data(model, reason="the network's playbook: stages and items")
        for model in (
            models.Path,
            models.ItemState,
            models.Agreement,
            models.Review,
            models.ReviewAction,
            models.Evidence,
        ):
            exempt_from_personal_data(
                model,
                reason="a municipality's opening and reviews: councils and offices, no client",
            )
        exempt_from_personal_data(
            models.Contact, reason="a council officer's access: their account, like a membership"
        )
        exempt_from_personal_data(
            models.DueDateFeed, reason="the secret address of a user's due-date calendar"
        )
