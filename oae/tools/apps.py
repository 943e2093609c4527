from django.apps import AppConfig


class ToolsConfig(AppConfig):
    name = "oae.tools"
    label = "tools"
