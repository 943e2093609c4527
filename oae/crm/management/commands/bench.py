"""`make bench`: prepare (once per scale) and measure the joint database on PostgreSQL."""

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


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


class Command(BaseCommand):
    help = "Benchmarks (crm.search, crm.import) at BENCH_SCALE=small or reference."

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
        from oae.crm.bench import SCALES, bench_import, bench_search, search_queries
        from oae.crm.models import Person

        sizes = SCALES[scale]
        call_command("migrate", verbosity=0)
        call_command("load_reference_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
        from oae.network.demo import demo_network_load

        demo_network_load()
        from oae.catalogue.starter import starter_model_load

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
        user, office = self._advisor()
        only = {name for name in os.environ.get("BENCH_ONLY", "").split(",") if name}
        if not only or only & {"cases.day_view", "cases.case_page"}:
            self._ensure_cases(scale)
        from oae.cases.bench import bench_case_page, bench_day_view

        benches = {
            "crm.search": lambda: bench_search(user, search_queries()),
            "crm.import": lambda: bench_import(user, office, sizes["import_rows"]),
            "cases.day_view": lambda: bench_day_view(self._case_advisors()),
            "cases.case_page": lambda: bench_case_page(),
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

    def _ensure_cases(self, scale: str) -> None:
        from oae.cases.bench import SCALES as CASE_SCALES
        from oae.cases.models import Case
        from oae.cases.scale import generate_cases

        sizes = CASE_SCALES[scale]
        missing = sizes["cases"] - Case.objects.count()
        if missing > 0:
            self.stderr.write(f"Generating {missing} cases for scale {scale} (once)…")
            generate_cases(count=missing, sessions=sizes["sessions"] * missing // sizes["cases"])

    @staticmethod
    def _case_advisors(count: int = 50):
        from oae.accounts.models import User
        from oae.cases.scale import bench_advisors

        pairs = bench_advisors()
        step = max(len(pairs) // count, 1)
        return list(User.objects.filter(pk__in=[u for u, _o in pairs[::step]]))

    @staticmethod
    def _advisor():
        from oae.accounts.models import User
        from oae.network.models import Membership, Office

        office = Office.objects.get(name__contains="Sant Boi")
        user, _created = User.objects.get_or_create(email="bench.advisor@xarxa-oae.example")
        Membership.objects.get_or_create(user=user, office=office, defaults={"role": "advisor"})
        return user, office
