"""`make bench`: prepare (once per scale) and measure the joint database and case management
on PostgreSQL."""

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from oae.accounts.models import User
from oae.cases.models import Case
from oae.catalogue.starter import starter_model_load
from oae.common.bulk import refresh_statistics
from oae.crm.models import Person, PersonCompany
from oae.devdata.bench.cases import SCALES as CASE_SCALES
from oae.devdata.bench.cases import bench_case_page, bench_day_view
from oae.devdata.bench.crm import SCALES, bench_import, bench_search, search_queries
from oae.devdata.bench.crm_pages import bench_company_page, bench_people_list, bench_person_page
from oae.devdata.bench.reports import (
    bench_monthly_pdf,
    bench_network_dashboard,
    bench_office_dashboard,
    rollups_ready,
)
from oae.devdata.demo.network import demo_network_load
from oae.devdata.scale.cases import bench_advisors, generate_cases
from oae.devdata.scale.people import generate_company_links
from oae.network.models import Membership, Office
from oae.scoping import OfficeRole

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
REPORT_BENCHES = {
    "reports.rollup_refresh",
    "reports.network_dashboard",
    "reports.office_dashboard",
    "reports.monthly_pdf",
}
CASE_BENCHES = {"cases.day_view", "cases.case_page", *REPORT_BENCHES}
PAGE_BENCHES = {"crm.people_list", "crm.person_page", "crm.company_page"}
BENCH_OFFICE = "Sant Boi"  # one of the demo network's offices, each with a seventh of the people


def _server_and_name(scale: str) -> tuple[str, str]:
    server = (
        os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_SERVER
    )
    if not server.startswith(("postgres://", "postgresql://")):
        raise CommandError("Benchmarks run on PostgreSQL: set DATABASE_URL to a server.")
    return server, f"oae_bench_{scale}"


def _ensure_database(server: str, name: str) -> str:
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    base = server.rsplit("/", 1)[0]
    return f"{base}/{name}"


def bench_staff(email: str, role: str) -> tuple[User, Office]:
    """A member of the benchmark's office with `role`, created once."""
    office = Office.objects.get(name__contains=BENCH_OFFICE)
    user, _created = User.objects.get_or_create(email=email)
    Membership.objects.get_or_create(user=user, office=office, defaults={"role": role})
    return user, office


def case_advisors(count: int = 50) -> list[User]:
    """`count` of the generated advisors, spread over the offices."""
    pairs = bench_advisors()
    step = max(len(pairs) // count, 1)
    return list(User.objects.filter(pk__in=[user for user, _office in pairs[::step]]))


class Command(BaseCommand):
    help = (
        "Benchmarks (crm.search, crm.import, crm.people_list, crm.person_page, "
        "crm.company_page, cases.day_view, cases.case_page, reports.rollup_refresh, "
        "reports.network_dashboard, reports.office_dashboard, reports.monthly_pdf) at "
        "BENCH_SCALE=small or reference."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--scale",
            default=os.environ.get("BENCH_SCALE", "small"),
            choices=["small", "reference"],
        )
        parser.add_argument(
            "--inner", action="store_true", help="internal: run inside the bench database"
        )

    def handle(self, *args, scale: str, inner: bool, **options) -> None:
        if not inner:
            server, name = _server_and_name(scale)
            url = _ensure_database(server, name)
            env = os.environ | {
                "DATABASE_URL": url,
                "DJANGO_SETTINGS_MODULE": "config.settings.base",
                "DEBUG": "false",
            }
            command = [sys.executable, "manage.py", "bench", "--inner", "--scale", scale]
            raise SystemExit(subprocess.call(command, env=env))  # noqa: S603
        self._run(scale)

    def _run(self, scale: str) -> None:
        sizes = SCALES[scale]
        self._ensure_people(scale)
        user, office = bench_staff("bench.advisor@xarxa-oae.example", OfficeRole.ADVISOR)
        manager, _office = bench_staff("bench.manager@xarxa-oae.example", OfficeRole.MANAGER)
        only = {name for name in os.environ.get("BENCH_ONLY", "").split(",") if name}
        if not only or only & CASE_BENCHES:
            self._ensure_cases(scale)
        if not only or only & PAGE_BENCHES:
            self._ensure_company_links(scale)
        benches = {
            "crm.search": lambda: bench_search(user, search_queries()),
            "crm.import": lambda: bench_import(user, office, sizes["import_rows"]),
            "crm.people_list": lambda: bench_people_list(user),
            "crm.person_page": lambda: bench_person_page(manager),
            "crm.company_page": lambda: bench_company_page(user),
            "cases.day_view": lambda: bench_day_view(case_advisors()),
            "cases.case_page": lambda: bench_case_page(),
            "reports.rollup_refresh": rollups_ready,
            "reports.network_dashboard": bench_network_dashboard,
            "reports.office_dashboard": lambda: bench_office_dashboard(manager),
            "reports.monthly_pdf": bench_monthly_pdf,
        }
        out = Path(settings.VAR_DIR) / "bench"
        out.mkdir(parents=True, exist_ok=True)
        with open(out / "latest.jsonl", "w", encoding="utf-8") as handle:
            for name, run in benches.items():
                if only and name not in only:
                    continue
                # Printed as soon as measured, so a long run shows its figures as it goes.
                line = json.dumps({**run(), "scale": scale}, ensure_ascii=False)
                self.stdout.write(line)
                self.stdout.flush()
                handle.write(line + "\n")
                handle.flush()

    def _ensure_people(self, scale: str) -> None:
        sizes = SCALES[scale]
        call_command("migrate", verbosity=0)
        call_command("load_reference_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
        demo_network_load()
        starter_model_load()  # the process cases run on
        missing = sizes["people"] - Person.objects.count()
        if missing > 0:
            self.stderr.write(f"Generating {missing} people for scale {scale} (once)…")
            call_command(
                "generate_scale_data",
                people=missing,
                companies=sizes["companies"],
                stdout=self.stderr,
            )

    def _ensure_cases(self, scale: str) -> None:
        sizes = CASE_SCALES[scale]
        missing = sizes["cases"] - Case.objects.count()
        if missing > 0:
            self.stderr.write(f"Generating {missing} cases for scale {scale} (once)…")
            generate_cases(count=missing, sessions=sizes["sessions"] * missing // sizes["cases"])

    def _ensure_company_links(self, scale: str) -> None:
        if PersonCompany.objects.exists():
            return
        self.stderr.write(f"Linking people to companies for scale {scale} (once)…")
        generate_company_links()
        refresh_statistics([PersonCompany])
