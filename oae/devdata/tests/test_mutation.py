"""`make mutation` reads what it is told to and scores it right: every module and test file
config/mutation.toml names exists, and a module's score counts mutmut's verdicts as killed,
survived, equivalent (left out) or not run."""

import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from oae.devdata.management.commands import mutation


def _config() -> dict:
    return tomllib.loads(mutation.CONFIG.read_text(encoding="utf-8"))


def test_every_module_and_test_file_it_names_exists():
    base = Path(settings.BASE_DIR)
    config = _config()
    assert config["target"] >= 85
    for module, entry in config["modules"].items():
        assert (base / module).is_file(), module
        assert entry["tests"], module
        for test in entry["tests"]:
            assert (base / test).is_file(), test


def test_equivalent_mutants_say_why():
    for name, why in _config().get("equivalent", {}).items():
        assert name.startswith("oae.") and "__mutmut_" in name
        assert len(why.strip()) > 10, f"{name}: say why it cannot change behaviour"


def test_a_score_counts_each_verdict():
    codes = {
        "m.x_f__mutmut_1": 1,  # killed
        "m.x_f__mutmut_2": 36,  # timed out: killed
        "m.x_f__mutmut_3": 0,  # survived
        "m.x_f__mutmut_4": 0,  # survived, but equivalent
        "m.x_f__mutmut_5": None,  # not run (outside `only`)
        "m.x_f__mutmut_6": 33,  # no test reaches it: survived
    }
    score = mutation._score("m.py", codes, {"m.x_f__mutmut_4": "same output"})
    assert (score.killed, score.survived, score.equivalent, score.timeouts) == (
        2,
        ["m.x_f__mutmut_3", "m.x_f__mutmut_6"],
        1,
        1,
    )
    assert score.percent == 50.0


def test_an_unknown_module_is_refused():
    with pytest.raises(CommandError, match="Not in mutation.toml"):
        call_command("mutation", "oae/nowhere.py")


def test_the_copy_for_mutmut_runs_the_module_with_its_tests(tmp_path):
    mutation._copy(tmp_path / "work")
    mutation._pyproject(tmp_path / "work", "oae/tools/finance.py", ["oae/tools/tests/x.py"])
    config = tomllib.loads((tmp_path / "work" / "pyproject.toml").read_text(encoding="utf-8"))
    assert config["tool"]["mutmut"]["only_mutate"] == ["oae/tools/finance.py"]
    assert config["tool"]["mutmut"]["pytest_add_cli_args_test_selection"] == [
        "oae/tools/tests/x.py"
    ]
    assert config["tool"]["pytest"]["ini_options"]["DJANGO_SETTINGS_MODULE"]
    assert (tmp_path / "work" / "oae" / "tools" / "finance.py").is_file()
    assert (tmp_path / "work" / "manage.py").is_file()


def test_a_slow_test_can_be_left_out_of_a_module_s_run(tmp_path):
    (tmp_path / "work").mkdir()
    mutation._pyproject(
        tmp_path / "work", "oae/reports/rollups.py", ["a.py"], deselect=["a.py::test_slow"]
    )
    config = tomllib.loads((tmp_path / "work" / "pyproject.toml").read_text(encoding="utf-8"))
    arguments = config["tool"]["mutmut"]["pytest_add_cli_args"]
    assert arguments[-2:] == ["--deselect", "a.py::test_slow"]
    assert "-m" in arguments  # the browser tests stay out as before


def test_services_lose_their_atomic_decorator_in_the_copy(tmp_path):
    """mutmut does not mutate decorated functions: the copy's services must be plain."""
    module = tmp_path / "services.py"
    module.write_text(
        "from django.db import transaction\n\n\n@transaction.atomic\ndef book():\n"
        "    return 1\n\n\nclass A:\n    @transaction.atomic\n    def go(self):\n"
        "        return 2\n",
        encoding="utf-8",
    )
    assert mutation._undecorate(module) == 2
    text = module.read_text(encoding="utf-8")
    assert "@transaction.atomic" not in text
    assert "def book():" in text and "    def go(self):" in text
