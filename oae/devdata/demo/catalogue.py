"""Demo adaptation of the starter model: one office behind the latest version with its own
wording, one with items of its own, one up to date. Runs once; later runs change nothing."""

from django.db import transaction

from oae.catalogue import services
from oae.catalogue.models import DraftItem, NetworkVersion, OfficeItem
from oae.catalogue.schema import Kind
from oae.network.models import Office


def _i18n(ca: str, es: str, en: str = "") -> dict:
    return {"ca": ca, "es": es, "en": en}


def _office(name_part: str) -> Office | None:
    return Office.objects.filter(name__contains=name_part).first()


def _first(kind: Kind, contains: str = "") -> DraftItem:
    items = DraftItem.objects.filter(kind=kind, is_archived=False).order_by("code")
    return (items.filter(code__contains=contains).first() if contains else None) or items.first()


@transaction.atomic
def catalogue_demo_load() -> bool:
    if OfficeItem.objects.exists() or NetworkVersion.objects.count() != 1:
        return False
    v1 = NetworkVersion.objects.get()
    santboi, barcelona, badalona = _office("Sant Boi"), _office("Barcelona"), _office("Badalona")
    for office in (santboi, barcelona, badalona):
        services.office_catalogue_adopt(actor=None, office=office, version=v1)
    _adapt_santboi(santboi)
    _local_items(barcelona)
    _publish_v2()
    for office in (barcelona, badalona):
        services.office_take_up(actor=None, office=office, keys=None)
    santcugat = _office("Sant Cugat")
    services.office_catalogue_adopt(
        actor=None, office=santcugat, version=NetworkVersion.objects.get(number=2)
    )
    return True


def _adapt_santboi(office: Office) -> None:
    service = _first(Kind.SERVICE, "creacio")
    item = OfficeItem.objects.get(office=office, kind=Kind.SERVICE, code=service.code)
    services.office_item_override(
        actor=None,
        item=item,
        expected_version=item.lock_version,
        overrides={
            "summary": _i18n(
                "A Sant Boi us acompanyem de la idea a l'alta, amb cita en menys d'una setmana.",
                "En Sant Boi te acompañamos de la idea al alta, con cita en menos de una semana.",
            ),
            "schedule": _i18n(
                "Dimarts i dijous, de 9 a 14 h i de 16 a 19 h",
                "Martes y jueves, de 9 a 14 h y de 16 a 19 h",
            ),
            "contact": _i18n(
                "oae@santboi.example · 936 35 12 00", "oae@santboi.example · 936 35 12 00"
            ),
        },
    )
    last = OfficeItem.objects.filter(office=office, kind=Kind.SERVICE).order_by("-code").first()
    services.office_item_set_enabled(actor=None, item=last, enabled=False)
    procedure = _first(Kind.PROCEDURE, "llicencia") or _first(Kind.PROCEDURE)
    services.procedure_variant_save(
        actor=None,
        municipality=office.municipality,
        procedure_code=procedure.code,
        expected_version=None,
        data={
            "where": _i18n(
                "Oficina d'Atenció Ciutadana, Plaça de l'Ajuntament, 1",
                "Oficina de Atención Ciudadana, Plaça de l'Ajuntament, 1",
            ),
            "local_fee": _i18n(
                "Segons l'ordenança fiscal vigent; la comunicació prèvia "
                "d'activitats innòcues és gratuïta.",
                "Según la ordenanza fiscal vigente; la comunicación previa "
                "de actividades inocuas es gratuita.",
            ),
            "local_form_url": "",
            "local_time": _i18n("Resposta en 1 mes", "Respuesta en 1 mes"),
            "notes": _i18n(
                "Demaneu cita prèvia a l'OAE per revisar la documentació.",
                "Pedid cita previa en la OAE para revisar la documentación.",
            ),
        },
    )


def _local_items(office: Office) -> None:
    for code, ca, es in (
        (
            "barcelona-fira-emprenedoria",
            "Fira d'emprenedoria de Ciutat Vella",
            "Feria de emprendimiento de Ciutat Vella",
        ),
        (
            "barcelona-assessorament-comerc",
            "Assessorament al comerç de proximitat",
            "Asesoramiento al comercio de proximidad",
        ),
    ):
        services.office_local_item_save(
            actor=None,
            office=office,
            kind=Kind.SERVICE,
            code=code,
            content={
                "name": _i18n(ca, es),
                "summary": _i18n(
                    f"{ca}: servei propi de l'oficina.", f"{es}: servicio propio de la oficina."
                ),
                "category": "consolidation",
                "channels": ["in_person"],
                "audience": _i18n(
                    "Comerços i persones emprenedores del districte",
                    "Comercios y personas emprendedoras del distrito",
                ),
            },
        )


def _publish_v2() -> None:
    service = _first(Kind.SERVICE, "creacio")
    content = dict(service.content)
    content["duration"] = _i18n(
        "De 2 a 5 sessions en un màxim de 3 mesos",
        "De 2 a 5 sesiones en un máximo de 3 meses",
        "2 to 5 sessions within 3 months",
    )
    content["summary"] = _i18n(
        "Acompanyament personalitzat per convertir la vostra idea en una empresa viable.",
        "Acompañamiento personalizado para convertir tu idea en una empresa viable.",
        "Personal support to turn your idea into a viable business.",
    )
    services.draft_item_update(
        actor=None, item=service, content=content, expected_version=service.lock_version
    )
    services.network_publish(
        actor=None, changelog="Durada i resum actualitzats del servei de creació d'empreses."
    )
