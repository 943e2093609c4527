"""Demo resource library: the templates and forms the network's coordinator shares with every
office, one with a second revision. A resource already there (by its code) is left alone."""

from dataclasses import dataclass

from django.db import transaction

from oae.accounts.models import User
from oae.catalogue import services
from oae.catalogue.models import Resource
from oae.devdata.demo.files import demo_pdf


@dataclass(frozen=True)
class DemoResource:
    code: str
    title: str
    description: str
    tags: str
    # Each revision: (file name, what changed, paragraphs of the document)
    revisions: tuple[tuple[str, str, tuple[str, ...]], ...]


DEMO_RESOURCES = [
    DemoResource(
        "plantilla-pla-empresa",
        "Plantilla del pla d'empresa",
        "El guió que lliurem a qui prepara el pla d'empresa: equip, mercat, pla comercial, "
        "operacions, forma jurídica i pla econòmic a tres anys.",
        "pla d'empresa, plantilla, creació",
        (
            (
                "plantilla-pla-empresa.pdf",
                "Primera versió",
                (
                    "1. Resum executiu i equip promotor.",
                    "2. Producte o servei i proposta de valor.",
                    "3. Mercat, clientela i competència.",
                    "4. Pla de màrqueting i vendes.",
                    "5. Operacions, proveïdors i recursos humans.",
                    "6. Forma jurídica i tràmits.",
                    "7. Pla econòmic i financer a tres anys.",
                ),
            ),
            (
                "plantilla-pla-empresa-v2.pdf",
                "Afegit el pla de tresoreria dels primers 12 mesos",
                (
                    "1. Resum executiu i equip promotor.",
                    "2. Producte o servei i proposta de valor.",
                    "3. Mercat, clientela i competència.",
                    "4. Pla de màrqueting i vendes.",
                    "5. Operacions, proveïdors i recursos humans.",
                    "6. Forma jurídica i tràmits.",
                    "7. Pla econòmic i financer a tres anys.",
                    "8. Pla de tresoreria mes a mes dels primers 12 mesos, amb l'IVA i la quota "
                    "d'autònoms.",
                ),
            ),
        ),
    ),
    DemoResource(
        "full-consentiment-dades",
        "Full d'informació i consentiment de protecció de dades",
        "El full que signa la persona a l'acollida: finalitats, base jurídica, conservació i "
        "la casella per compartir les dades amb les altres oficines de la xarxa.",
        "protecció de dades, consentiment, acollida",
        (
            (
                "consentiment-proteccio-dades.pdf",
                "Versió de gener de 2026",
                (
                    "Responsable del tractament: l'ajuntament titular de l'oficina.",
                    "Finalitat: prestar-vos el servei d'assessorament que heu demanat.",
                    "Compartir amb la xarxa: només si ho marqueu, les altres oficines de la Xarxa "
                    "OAE podran veure les vostres dades de contacte.",
                    "Podeu demanar una còpia de les vostres dades o que se suprimeixin en "
                    "qualsevol moment.",
                ),
            ),
        ),
    ),
    DemoResource(
        "guia-alta-autonom",
        "Guia de l'alta com a persona treballadora autònoma",
        "Pas a pas de l'alta censal (model 036/037) i l'alta al RETA, amb la tarifa plana.",
        "tràmits, autònoms, RETA, Hisenda",
        (
            (
                "guia-alta-autonom.pdf",
                "Primera versió",
                (
                    "1. Alta censal a l'Agència Tributària (model 036 o 037), abans de començar "
                    "l'activitat.",
                    "2. Alta al Règim Especial de Treballadors Autònoms, fins a 60 dies abans.",
                    "3. Comunicació prèvia o llicència d'activitat a l'ajuntament.",
                    "4. Si contracteu: inscripció de l'empresa a la Seguretat Social.",
                ),
            ),
        ),
    ),
]


def library_demo_load() -> int:
    """Add the demo resources that are not there yet; how many were added."""
    coordinator = User.objects.get(email="coordinacio@xarxa-oae.example")
    known = set(Resource.objects.values_list("code", flat=True))
    added = 0
    for spec in DEMO_RESOURCES:
        if spec.code not in known:
            _resource_add(coordinator, spec)
            added += 1
    return added


@transaction.atomic
def _resource_add(coordinator: User, spec: DemoResource) -> None:
    resource = services.resource_save(
        actor=coordinator,
        resource=None,
        data={
            "code": spec.code,
            "title": spec.title,
            "description": spec.description,
            "tags": spec.tags,
        },
    )
    for name, note, paragraphs in spec.revisions:
        upload = demo_pdf(
            name, title=spec.title, issuer="Xarxa OAE · Coordinació", paragraphs=paragraphs
        )
        services.resource_file_add(actor=coordinator, resource=resource, upload=upload, note=note)
