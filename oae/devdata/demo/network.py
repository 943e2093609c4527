"""Demo network: offices in several states and one login per role. Safe to load twice."""

from dataclasses import dataclass
from datetime import time

from allauth.account.models import EmailAddress
from django.db import transaction

from oae.accounts.models import NetworkRole, User
from oae.network.models import (
    Membership,
    Municipality,
    Office,
    OfficeRole,
    OfficeStatus,
    OpeningPeriod,
)

DEMO_PASSWORD = "oae-demo-2026!"  # noqa: S105 - documented demo login, never used in production


@dataclass(frozen=True)
class DemoOffice:
    key: str
    ine_code: str
    name: str
    address: str
    postal_code: str
    latitude: str
    longitude: str
    phone: str
    email: str
    status: str
    languages: tuple[str, ...]
    afternoons: bool


DEMO_OFFICES = [
    DemoOffice(
        "santboi",
        "08200",
        "OAE Sant Boi de Llobregat",
        "Carrer de Joan Bardina, 15",
        "08830",
        "41.343400",
        "2.036900",
        "+34 936 35 12 00",
        "oae@santboi.example",
        OfficeStatus.OPEN,
        ("ca", "es"),
        True,
    ),
    DemoOffice(
        "badalona",
        "08015",
        "OAE Badalona",
        "Carrer de Francesc Layret, 78",
        "08911",
        "41.448600",
        "2.245300",
        "+34 934 83 29 00",
        "empresa@badalona.example",
        OfficeStatus.OPEN,
        ("ca", "es", "ar"),
        False,
    ),
    DemoOffice(
        "barcelona",
        "08019",
        "OAE Barcelona – Ciutat Vella",
        "Plaça de Sant Miquel, 4",
        "08002",
        "41.382600",
        "2.176500",
        "+34 934 02 70 00",
        "oae@barcelona.example",
        OfficeStatus.OPEN,
        ("ca", "es", "en", "zh"),
        True,
    ),
    DemoOffice(
        "hospitalet",
        "08101",
        "OAE l'Hospitalet",
        "Carrer de Girona, 10",
        "08901",
        "41.359800",
        "2.100100",
        "+34 934 03 29 00",
        "oae@lhospitalet.example",
        OfficeStatus.OPENING,
        ("ca", "es"),
        False,
    ),
    DemoOffice(
        "cornella",
        "08073",
        "OAE Cornellà de Llobregat",
        "Plaça de l'Església, 1",
        "08940",
        "41.355600",
        "2.072800",
        "+34 933 77 02 12",
        "oae@cornella.example",
        OfficeStatus.PLANNED,
        ("ca", "es"),
        False,
    ),
    DemoOffice(
        "prat",
        "08169",
        "OAE el Prat de Llobregat",
        "Plaça de Catalunya, 1",
        "08820",
        "41.326200",
        "2.095200",
        "+34 933 79 00 50",
        "oae@elprat.example",
        OfficeStatus.SUSPENDED,
        ("ca", "es"),
        False,
    ),
    DemoOffice(
        "santcugat",
        "08205",
        "OAE Sant Cugat del Vallès",
        "Plaça de la Vila, 1",
        "08172",
        "41.472000",
        "2.084800",
        "+34 935 65 70 00",
        "oae@santcugat.example",
        OfficeStatus.OPEN,
        ("ca", "es", "en"),
        True,
    ),
]


@dataclass(frozen=True)
class DemoUser:
    email: str
    first_name: str
    last_name: str
    network_role: str = ""
    office: str = ""
    role: str = ""
    admin: bool = False
    also: tuple[str, ...] = ()  # other offices where they have the same role


DEMO_USERS = [
    DemoUser("coordinacio@xarxa-oae.example", "Montserrat", "Puig", NetworkRole.COORDINATOR),
    DemoUser("auditoria@xarxa-oae.example", "Jordi", "Vidal", NetworkRole.AUDITOR),
    DemoUser("admin@xarxa-oae.example", "Administració", "Xarxa", admin=True),
    DemoUser(
        "gerent.santboi@xarxa-oae.example",
        "Laia",
        "Ferrer",
        office="santboi",
        role=OfficeRole.MANAGER,
    ),
    DemoUser(
        "tecnic.santboi@xarxa-oae.example",
        "Marc",
        "Soler",
        office="santboi",
        role=OfficeRole.ADVISOR,
    ),
    DemoUser(  # new: certified by the induction two days ago (demo/training.py)
        "tecnica.nova.santboi@xarxa-oae.example",
        "Joana",
        "Riera",
        office="santboi",
        role=OfficeRole.ADVISOR,
    ),
    DemoUser(
        "consulta.santboi@xarxa-oae.example",
        "Núria",
        "Roca",
        office="santboi",
        role=OfficeRole.READ_ONLY,
    ),
    DemoUser(
        "gerent.badalona@xarxa-oae.example",
        "Ahmed",
        "Benali",
        office="badalona",
        role=OfficeRole.MANAGER,
    ),
    DemoUser(
        "tecnic.badalona@xarxa-oae.example",
        "Carla",
        "Martínez",
        office="badalona",
        role=OfficeRole.ADVISOR,
    ),
    DemoUser(
        "tecnic.itinerant@xarxa-oae.example",
        "Pau",
        "Camps",
        office="santboi",
        role=OfficeRole.ADVISOR,
        also=("badalona",),  # works for two offices: the header's switcher picks one
    ),
    DemoUser("emprenedora@example.org", "Anna", "Serra"),
]


def _hours(office: Office, afternoons: bool) -> None:
    if office.opening_periods.exists():
        return
    periods = [
        OpeningPeriod(office=office, weekday=day, opens=time(9), closes=time(14))
        for day in range(5)
    ]
    if afternoons:
        periods += [
            OpeningPeriod(office=office, weekday=day, opens=time(16), closes=time(19))
            for day in (1, 3)
        ]
    OpeningPeriod.objects.bulk_create(periods)


def _office(spec: DemoOffice) -> Office:
    municipality = Municipality.objects.get(ine_code=spec.ine_code)
    office, _created = Office.objects.update_or_create(
        municipality=municipality,
        name=spec.name,
        defaults={
            "address": spec.address,
            "postal_code": spec.postal_code,
            "latitude": spec.latitude,
            "longitude": spec.longitude,
            "phone": spec.phone,
            "email": spec.email,
            "status": spec.status,
            "languages": list(spec.languages),
        },
    )
    _hours(office, spec.afternoons)
    return office


def _user(spec: DemoUser) -> User:
    user, _created = User.objects.update_or_create(
        email=spec.email,
        defaults={
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "network_role": spec.network_role,
            "is_staff": spec.admin,
            "is_superuser": spec.admin,
            "demo_mfa_enrolled": bool(spec.network_role or spec.admin),
        },
    )
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


@transaction.atomic
def demo_network_load() -> dict[str, int]:
    offices = {spec.key: _office(spec) for spec in DEMO_OFFICES}
    for spec in DEMO_USERS:
        user = _user(spec)
        for key in [spec.office, *spec.also] if spec.office else []:
            Membership.objects.update_or_create(
                user=user,
                office=offices[key],
                defaults={"role": spec.role, "is_active": True},
            )
    return {"offices": len(offices), "users": len(DEMO_USERS)}
