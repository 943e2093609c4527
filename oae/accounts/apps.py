from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "oae.accounts"
    label = "accounts"

    def ready(self) -> None:
        from oae.accounts import receivers  # noqa: F401  (connects the audit receivers)
