"""A tiny network model for tests: one process, one guide, two services, one procedure."""

from oae.catalogue import services
from oae.catalogue.models import Category


def i18n(ca, es="", en=""):
    return {"ca": ca, "es": es, "en": en}


def service_content(name_ca, name_es="", **extra):
    return {
        "name": i18n(name_ca, name_es),
        "summary": i18n(f"Resum {name_ca}", f"Resumen {name_es}"),
        "description": i18n("Text **llarg**"),
        "category": "creation",
        "audience": i18n("Tothom"),
        "channels": ["in_person"],
        "duration": i18n("2 sessions"),
        "process": "atencio",
        "guides": ["guia"],
        "resources": [],
        "outcomes": {"ca": ["Empresa creada"], "es": [], "en": []},
    } | extra


PROCESS = {
    "name": i18n("Atenció", "Atención"),
    "summary": i18n("Cinc passos"),
    "steps": [
        {
            "id": step,
            "name": i18n(step.capitalize()),
            "checklist": {"ca": ["Fer-ho"]},
            "documents": {},
            "role": ["advisor"],
            "target_days": 7,
            "guides": [],
            "resources": [],
        }
        for step in ("acollida", "diagnosi", "pla", "seguiment", "tancament")
    ],
}
GUIDE = {
    "title": i18n("Guia"),
    "summary": i18n(""),
    "body": i18n("# Guia\n\nText"),
    "tags": "acollida",
    "resources": [],
}
PROCEDURE = {
    "name": i18n("Alta censal", "Alta censal"),
    "summary": i18n("Model 036"),
    "steps": {"ca": ["Omplir el 036"]},
    "handled_by": i18n("AEAT"),
    "documents": {},
    "typical_cost": i18n("Gratuït", "Gratuito"),
    "typical_time": i18n("1 dia"),
    "links": [],
}


def build_small_model() -> dict:
    """Create the category and draft items; returns the draft items by (kind, code)."""
    Category.objects.get_or_create(
        key="creation", defaults={"name_ca": "Creació", "name_es": "Creación"}
    )
    items = {
        ("process", "atencio"): PROCESS,
        ("guide", "guia"): GUIDE,
        ("service", "crear"): service_content("Crear una empresa", "Crear una empresa"),
        ("service", "financar"): service_content("Finançament", "Financiación"),
        ("procedure", "alta-censal"): PROCEDURE,
    }
    return {
        key: services.draft_item_create(actor=None, kind=key[0], code=key[1], content=c)
        for key, c in items.items()
    }
