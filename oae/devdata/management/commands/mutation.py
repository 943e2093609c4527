"""`make mutation`: mutation testing of the rule modules named in config/mutation.toml, each
with the tests that exercise it (mutmut, in a copy of the project per module under
var/mutation/), then the score of each module and its surviving mutants. A module under the
target fails the command; mutants listed as equivalent (with why) are left out of the score."""

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

CONFIG = Path(settings.BASE_DIR) / "config" / "mutation.toml"
COPIED = ["oae", "config", "conftest.py", "manage.py"]
KILLED = {1, 3, 24, -24, 36, 152, 255, -9, -11}  # mutmut's exit codes of a change noticed
TIMEOUTS = {24, -24, 36, 152, 255}  # noticed because the tests never ended: counted apart
# mutmut leaves decorated functions alone: in the copy, services run without their decorator
# (the tests run inside a transaction anyway) so that their rules are mutated too.
ATOMIC = re.compile(r"^[ \t]*@transaction\.atomic[ \t]*\n", re.MULTILINE)
NOT_RUN = {None, 34}  # not checked (outside `only`), skipped


@dataclass
class Score:
    module: str
    killed: int = 0
    survived: list[str] = field(default_factory=list)
    equivalent: int = 0
    timeouts: int = 0

    @property
    def counted(self) -> int:
        return self.killed + len(self.survived)

    @property
    def percent(self) -> float:
        return round(100 * self.killed / self.counted, 1) if self.counted else 100.0


def _copy(work: Path) -> None:
    """A fresh copy of what the tests need: mutmut writes its mutants beside it."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    base = Path(settings.BASE_DIR)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in COPIED:
        source = base / name
        if source.is_dir():
            shutil.copytree(source, work / name, ignore=ignore)
        else:
            shutil.copy2(source, work / name)


def _undecorate(path: Path) -> int:
    """The module without its `@transaction.atomic` lines; how many it had."""
    text = path.read_text(encoding="utf-8")
    plain, count = ATOMIC.subn("", text)
    path.write_text(plain, encoding="utf-8")
    return count


def _pyproject(work: Path, module: str, tests: list[str], deselect: Sequence[str] = ()) -> None:
    """The project's pytest settings and mutmut's, for this module alone; `deselect`: tests of
    those files left out (a slow property test that `make test` runs anyway)."""
    text = (Path(settings.BASE_DIR) / "pyproject.toml").read_text(encoding="utf-8")
    left_out = [arg for test in deselect for arg in ("--deselect", test)]
    mutmut = {
        "source_paths": ["oae"],
        "only_mutate": [module],
        "also_copy": COPIED[1:],
        "pytest_add_cli_args_test_selection": tests,
        "pytest_add_cli_args": ["-p", "no:cacheprovider", "-q", "-m", "not browser", *left_out],
    }
    lines = [
        "",
        "[tool.mutmut]",
        *(f"{key} = {json.dumps(value)}" for key, value in mutmut.items()),
    ]
    (work / "pyproject.toml").write_text(text + "\n".join(lines) + "\n", encoding="utf-8")


def _results(work: Path, module: str) -> dict[str, int | None]:
    meta = work / "mutants" / f"{module}.meta"
    if not meta.exists():
        raise CommandError(f"mutmut left no results for {module}: see {work / 'run.log'}")
    return json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]


def _score(module: str, codes: dict[str, int | None], equivalent: dict[str, str]) -> Score:
    score = Score(module)
    for name, code in sorted(codes.items()):
        if code in NOT_RUN:
            continue
        if name in equivalent:
            score.equivalent += 1
        elif code in KILLED:
            score.killed += 1
            score.timeouts += code in TIMEOUTS
        else:
            score.survived.append(name)
    return score


class Command(BaseCommand):
    help = "Mutation testing of the rule modules (config/mutation.toml), with each score."

    def add_arguments(self, parser) -> None:
        parser.add_argument("modules", nargs="*", help="only these modules (paths)")

    def handle(self, *args, modules: list[str], **options) -> None:
        config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
        chosen = {
            name: entry
            for name, entry in config["modules"].items()
            if not modules or name in modules
        }
        if modules and len(chosen) != len(modules):
            unknown = sorted(set(modules) - set(config["modules"]))
            raise CommandError(f"Not in {CONFIG.name}: {', '.join(unknown)}")
        scores = [
            self._module(name, entry, config.get("equivalent", {}))
            for name, entry in chosen.items()
        ]
        self._report(scores, config["target"])

    def _module(self, module: str, entry: dict, equivalent: dict[str, str]) -> Score:
        work = Path(settings.VAR_DIR) / "mutation" / module.replace("/", "-").removesuffix(".py")
        self.stderr.write(f"{module}: mutating, with {', '.join(entry['tests'])}…")
        _copy(work)
        _undecorate(work / module)
        _pyproject(work, module, entry["tests"], entry.get("deselect", []))
        command = [sys.executable, "-m", "mutmut", "run", *entry.get("only", [])]
        # The tests' own settings: manage.py set the base ones for this command.
        environment = os.environ | {
            "CI": "true",
            "PYTHONDONTWRITEBYTECODE": "1",
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
        }
        with open(work / "run.log", "w", encoding="utf-8") as log:
            subprocess.run(  # noqa: S603 - our own interpreter and arguments
                command, cwd=work, stdout=log, stderr=subprocess.STDOUT, env=environment
            )
        score = _score(module, _results(work, module), equivalent)
        if not score.counted:
            raise CommandError(f"No mutant of {module} was tested: see {work / 'run.log'}")
        self.stdout.write(
            f"{module}: {score.percent}% killed ({score.killed} of {score.counted}, "
            f"{score.timeouts} by a timeout; {score.equivalent} equivalent left out)"
        )
        self.stdout.flush()
        return score

    def _report(self, scores: list[Score], target: int) -> None:
        below = [score for score in scores if score.percent < target]
        for score in scores:
            for name in score.survived:
                self.stdout.write(f"  survived: {name}")
        self.stdout.write("")
        self.stdout.write(f"{'module':<32} {'mutants':>8} {'killed':>8} {'score':>7}")
        for score in scores:
            self.stdout.write(
                f"{score.module:<32} {score.counted:>8} {score.killed:>8} {score.percent:>6}%"
            )
        if below:
            names = ", ".join(score.module for score in below)
            raise CommandError(
                f"Under {target}%: {names}. Kill the survivors with a test, or list an "
                f"equivalent one in {CONFIG.name} with why (see a mutant: cd var/mutation/"
                "<module> && ../../../.venv/bin/mutmut show <name>)."
            )
