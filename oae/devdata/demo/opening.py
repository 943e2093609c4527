"""Demo opening paths: one municipality in each stage of the playbook (Gavà stalled,
Barcelona's agreement about to end, el Prat's staff gone), Sant Boi and Badalona opened and
reviewed, and Viladecans's council officer, a login, waiting for the signed agreement. Safe
to load twice."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from oae.accounts.models import NetworkRole, User
from oae.catalogue.models import NetworkVersion, OfficeItem
from oae.catalogue.services import office_catalogue_adopt
from oae.devdata.demo.files import demo_pdf
from oae.devdata.demo.network import DEMO_PASSWORD
from oae.devdata.demo.training import certify_team
from oae.network.models import Membership, Municipality, Office, OfficeRole
from oae.opening import playbook, services
from oae.opening.models import Contact, Evidence, ItemState, Path, ReviewAction

CONTACT_LOGIN = "ajuntament.viladecans@xarxa-oae.example"
YEAR_DAYS = 365


@dataclass(frozen=True)
class DemoAgreement:
    signed_days_ago: int
    term_months: int
    renewal_days_before_end: int = 90
    renews_previous: bool = False


@dataclass(frozen=True)
class DemoPath:
    ine_code: str
    office: str  # the office's name, "" before there is one
    started_days_ago: int
    evidence: tuple[tuple[str, int], ...]  # (item, days ago)
    stage_days: int  # days in the current stage
    agreements: tuple[DemoAgreement, ...] = ()
    contact: tuple[str, str, str] | None = None  # e-mail, first and last name
    managers: tuple[str, ...] = ()  # staff of the records (no login) the path needs
    left: tuple[str, ...] = ()  # of those, who left again
    reviewed: tuple[int, ...] = ()  # years ago reviewed (meeting held, actions agreed)
    quiet_days: int = 10  # since the last evidence
    adopt: bool = False  # the office takes up the network's catalogue


INTEREST = (("first_meeting", 0),)
DIAGNOSIS = (("letter_of_interest", 0), ("business_census", 0), ("needs_workshop", 0))
AGREEMENT = (("diagnosis_report", 0), ("agreement_draft", 0), ("council_approval", 0))
DESIGN = (("premises", 0), ("staffing_plan", 0))
STAFFING = (("staff_trained", 0),)
OPENING = (("launch_event", 0),)
FIRST_YEAR = (("quarterly_visits", 0),)
SUSTAINABLE = (("budget_committed", 0),)


def _ago(items, days: int) -> tuple[tuple[str, int], ...]:
    return tuple((key, days) for key, _ in items)


DEMO_PATHS = [
    DemoPath("08056", "", 20, _ago(INTEREST, 12), 20),
    DemoPath(  # stalled: nothing new for 70 days
        "08089",
        "",
        150,
        _ago(INTEREST, 140) + _ago(DIAGNOSIS[:2], 70),
        95,
        contact=("ajuntament.gava@xarxa-oae.example", "Elena", "Prats"),
        quiet_days=70,
    ),
    DemoPath(
        "08301",
        "",
        260,
        _ago(INTEREST, 250) + _ago(DIAGNOSIS, 180) + _ago(AGREEMENT[:2], 20),
        40,
        contact=(CONTACT_LOGIN, "Xavier", "Mas"),
    ),
    DemoPath(
        "08073",
        "OAE Cornellà de Llobregat",
        420,
        _ago(INTEREST, 410) + _ago(DIAGNOSIS, 330) + _ago(AGREEMENT, 210) + (("premises", 30),),
        120,
        agreements=(DemoAgreement(120, 48),),
        contact=("ajuntament.cornella@xarxa-oae.example", "Rosa", "Vila"),
    ),
    DemoPath(  # its advisor left: "staff in place" is open again
        "08169",
        "OAE el Prat de Llobregat",
        600,
        _ago(INTEREST, 590) + _ago(DIAGNOSIS, 500) + _ago(AGREEMENT, 400) + _ago(DESIGN, 250),
        60,
        agreements=(DemoAgreement(330, 48),),
        contact=("ajuntament.prat@xarxa-oae.example", "Joan", "Ribas"),
        managers=("direccio.prat", "assessoria.prat"),
        left=("assessoria.prat",),
        adopt=True,
    ),
    DemoPath(
        "08205",
        "OAE Sant Cugat del Vallès",
        700,
        _ago(INTEREST, 690)
        + _ago(DIAGNOSIS, 600)
        + _ago(AGREEMENT, 500)
        + _ago(DESIGN, 380)
        + _ago(STAFFING, 300),
        25,
        agreements=(DemoAgreement(480, 48),),
        contact=("ajuntament.santcugat@xarxa-oae.example", "Pere", "Font"),
        managers=("direccio.santcugat",),
    ),
    DemoPath(  # its agreement ends within 90 days
        "08019",
        "OAE Barcelona – Ciutat Vella",
        1500,
        _ago(INTEREST, 1490)
        + _ago(DIAGNOSIS, 1420)
        + _ago(AGREEMENT, 1400)
        + _ago(DESIGN, 1300)
        + _ago(STAFFING, 1250)
        + _ago(OPENING, 1200),
        400,
        agreements=(DemoAgreement(4 * YEAR_DAYS - 60, 48, 30),),
        contact=("ajuntament.barcelona@xarxa-oae.example", "Marina", "Costa"),
        managers=("direccio.barcelona",),
    ),
    DemoPath(
        "08015",
        "OAE Badalona",
        1900,
        _ago(INTEREST, 1890)
        + _ago(DIAGNOSIS, 1820)
        + _ago(AGREEMENT, 1800)
        + _ago(DESIGN, 1700)
        + _ago(STAFFING, 1650)
        + _ago(OPENING, 1600)
        + _ago(FIRST_YEAR, 1300),
        500,
        agreements=(DemoAgreement(5 * YEAR_DAYS, 24), DemoAgreement(3 * YEAR_DAYS, 48, 90, True)),
        contact=("ajuntament.badalona@xarxa-oae.example", "Sílvia", "Moreno"),
        reviewed=(2,),
    ),
    DemoPath(
        "08200",
        "OAE Sant Boi de Llobregat",
        1200,
        _ago(INTEREST, 1190)
        + _ago(DIAGNOSIS, 1120)
        + _ago(AGREEMENT, 1100)
        + _ago(DESIGN, 1000)
        + _ago(STAFFING, 950)
        + _ago(OPENING, 900)
        + _ago(FIRST_YEAR, 600)
        + _ago(SUSTAINABLE, 200),
        200,
        agreements=(DemoAgreement(2 * YEAR_DAYS, 48),),
        contact=("ajuntament.santboi@xarxa-oae.example", "Ramon", "Pujol"),
        reviewed=(1,),
    ),
]

EVIDENCE_WORDS = {
    "first_meeting": "Reunió amb l'alcaldia i la regidoria de promoció econòmica.",
    "needs_workshop": "Taller amb l'associació de comerciants, el gremi d'hostaleria i entitats.",
    "quarterly_visits": "Quatre visites: gener, abril, juliol i octubre; actes a la xarxa.",
    "council_approval": "https://seu.example/ple/acord-conveni-oae",
    "launch_event": "https://premsa.example/obre-l-oficina-d-atencio-a-l-empresa",
}


def _coordinator() -> User:
    return User.objects.filter(network_role=NetworkRole.COORDINATOR).order_by("pk").first()


def _staff(office: Office, names: tuple[str, ...]) -> None:
    """Staff of the records (no login): a manager first, then advisors; some may have left."""
    for number, name in enumerate(names):
        user, created = User.objects.get_or_create(
            email=f"{name}@xarxa-oae.example",
            defaults={"first_name": name.split(".")[0].capitalize(), "last_name": office.name[4:]},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        role = OfficeRole.MANAGER if number == 0 else OfficeRole.ADVISOR
        Membership.objects.update_or_create(
            user=user, office=office, defaults={"role": role, "is_active": True}
        )


def _leave(office: Office, names: tuple[str, ...]) -> None:
    Membership.objects.filter(
        office=office, user__email__in=[f"{n}@xarxa-oae.example" for n in names]
    ).update(is_active=False)


def _contact(path: Path, spec: tuple[str, str, str], actor: User) -> None:
    email, first_name, last_name = spec
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first_name, "last_name": last_name}
    )
    if created:
        if email == CONTACT_LOGIN:
            user.set_password(DEMO_PASSWORD)
        else:
            user.set_unusable_password()
        user.save(update_fields=["password"])
    if email == CONTACT_LOGIN:
        from allauth.account.models import EmailAddress  # noqa: PLC0415 - only the login needs it

        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    Contact.objects.get_or_create(
        user=user,
        path=path,
        defaults={"invited_by": actor, "invitation_sent_at": timezone.now()},
    )


def _evidence(path: Path, key: str, days: int, actor: User) -> None:
    item = next(i for i in playbook.items(path.version.content) if i.key == key)
    words = EVIDENCE_WORDS.get(key, "")
    if item.evidence == "fact":  # staff trained: the team takes the induction then
        certify_team(path.office, days)
        return
    if item.evidence == "document":
        upload = demo_pdf(
            f"{key}.pdf",
            title=item.title["ca"],
            issuer=f"Ajuntament de {path.municipality.name}",
            paragraphs=[item.why["ca"]],
        )
        services.evidence_add(actor=actor, path=path, item_key=key, upload=upload)
    elif item.evidence == "link":
        services.evidence_add(actor=actor, path=path, item_key=key, url=words)
    else:
        services.evidence_add(actor=actor, path=path, item_key=key, note=words or item.why["ca"])
    when = timezone.now() - datetime.timedelta(days=days)
    Evidence.objects.filter(path=path, item_key=key).update(added_at=when)
    ItemState.objects.filter(path=path, item_key=key, review=None).update(done_at=when)


def _agreements(path: Path, specs: tuple[DemoAgreement, ...], actor: User) -> None:
    today = timezone.localdate()
    previous = None
    for spec in specs:
        signed = today - datetime.timedelta(days=spec.signed_days_ago)
        ends = signed + datetime.timedelta(days=round(spec.term_months * 30.44))
        data = {
            "parties": f"Xarxa OAE (àrea metropolitana) i Ajuntament de {path.municipality.name}",
            "signed_on": signed,
            "term_months": spec.term_months,
            "renewal_on": ends - datetime.timedelta(days=spec.renewal_days_before_end),
            "network_obligations": "Formació inicial i contínua de l'equip; model de serveis, "
            "eines i base de dades comuna; seguiment anual amb indicadors.",
            "municipality_obligations": "Local accessible i personal de l'oficina (una persona "
            "responsable i almenys una de tècnica); pressupost anual; dades d'activitat a la "
            "plataforma.",
        }
        upload = demo_pdf(
            f"conveni-{path.municipality.ine_code}-{signed:%Y}.pdf",
            title="Conveni de col·laboració per a l'Oficina d'Atenció a l'Empresa",
            issuer=data["parties"],
            paragraphs=[data["network_obligations"], data["municipality_obligations"]],
        )
        previous = services.agreement_record(
            actor=actor,
            municipality=path.municipality,
            data=data,
            upload=upload,
            renews=previous if spec.renews_previous else None,
        )


def _reviews(path: Path, years_ago: tuple[int, ...], actor: User) -> None:
    today = timezone.localdate()
    for back in years_ago:
        year = today.year - back
        review = services.review_open(actor=actor, path=path, year=year)
        services.review_meeting_record(
            actor=actor,
            review=review,
            data={
                "met_on": datetime.date(year + 1, 1, 20),
                "attendees": "Regidoria de promoció econòmica; direcció de l'oficina; "
                "coordinació de la xarxa.",
                "findings": "L'oficina compleix la majoria d'objectius. Cal reforçar la difusió "
                "entre el comerç i reduir l'espera fins a la primera sessió.",
            },
        )
        services.evidence_add(
            actor=actor,
            path=path,
            review=review,
            item_key="scorecard_read",
            note="Quadre revisat amb la regidoria una setmana abans de la reunió.",
        )
        ReviewAction.objects.create(
            review=review,
            title="Campanya de difusió amb l'associació de comerciants",
            owner="Direcció de l'oficina",
            due_on=datetime.date(year + 1, 5, 31),
            done_on=datetime.date(year + 1, 5, 12),
        )
        ReviewAction.objects.create(
            review=review,
            title="Agenda amb franges de tarda per reduir l'espera",
            owner="Coordinació de la xarxa",
            due_on=max(datetime.date(year + 1, 9, 30), today + datetime.timedelta(days=30)),
        )
        services.path_refresh(path, review=review)


def _settle(path: Path, spec: DemoPath) -> None:
    """Dates as the story tells them: the days in the stage and the last evidence."""
    # Facts held since the stage began, at the latest (they completed while loading).
    ItemState.objects.filter(path=path, review=None, by_fact=True, done_at__isnull=False).update(
        done_at=timezone.now() - datetime.timedelta(days=spec.stage_days)
    )
    Path.objects.filter(pk=path.pk).update(
        stage_since=timezone.localdate() - datetime.timedelta(days=spec.stage_days),
        last_evidence_at=timezone.now() - datetime.timedelta(days=spec.quiet_days),
    )


@transaction.atomic
def opening_demo_load() -> int:
    """The paths, once; the number loaded."""
    actor = _coordinator()
    services.playbook_starter_load(actor=actor)
    if Path.objects.exists():
        return 0
    today = timezone.localdate()
    for spec in DEMO_PATHS:
        municipality = Municipality.objects.get(ine_code=spec.ine_code)
        office = Office.objects.get(name=spec.office) if spec.office else None
        if office is not None and spec.managers:
            _staff(office, spec.managers)
        if spec.adopt and not OfficeItem.objects.filter(office=office).exists():
            office_catalogue_adopt(
                actor=actor, office=office, version=NetworkVersion.objects.first()
            )
        path = services.path_start(
            actor=actor,
            municipality=municipality,
            office=office,
            started_on=today - datetime.timedelta(days=spec.started_days_ago),
        )
        if spec.contact:
            _contact(path, spec.contact, actor)
        for key, days in spec.evidence:
            _evidence(path, key, days, actor)
        _agreements(path, spec.agreements, actor)
        _reviews(path, spec.reviewed, actor)
        services.path_refresh(path)
        if spec.left:
            _leave(office, spec.left)
            services.path_refresh(path)
        _settle(path, spec)
    return len(DEMO_PATHS)
