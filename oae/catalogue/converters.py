"""The `<kind:…>` path converter: one of the catalogue's kinds of item, as a `Kind`."""

from django.urls import register_converter

from oae.catalogue.schema import Kind


class KindConverter:
    regex = "|".join(kind.value for kind in Kind)

    def to_python(self, value: str) -> Kind:
        return Kind(value)

    def to_url(self, value) -> str:
        return str(value)


def register() -> None:
    register_converter(KindConverter, "kind")
