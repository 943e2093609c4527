"""The shape every domain keeps: imports run downward only (the contracts in pyproject.toml), a
view never reaches a model manager, and an import inside a function says why it is there."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "oae"


def _source_files():
    return [
        path
        for path in PACKAGE.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    ]


def _view_modules():
    return [p for p in _source_files() if p.name == "views.py" or p.name.endswith("_views.py")]


def test_domains_keep_the_import_contracts():
    """Domains import downward only, no domain imports the development data, and no two
    modules of one package import each other (lint-imports reads pyproject.toml)."""
    command = [str(Path(sys.executable).parent / "lint-imports"), "--no-cache", "--no-logo"]
    # Our own tool from this virtualenv, with fixed arguments: no untrusted input.
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603
    assert result.returncode == 0, result.stdout + result.stderr


MANAGERS = ("objects", "_default_manager")
SHORTCUTS = ("get_object_or_404", "get_list_or_404")  # a model's manager, by another name


def _manager_calls(path: Path) -> list[int]:
    """Lines where the module names a model manager or a shortcut that reads through one."""
    tree = ast.parse(path.read_text(), filename=str(path))
    return sorted(
        node.lineno
        for node in ast.walk(tree)
        if (isinstance(node, ast.Attribute) and node.attr in MANAGERS)
        or (isinstance(node, ast.Name) and node.id in SHORTCUTS)
    )


def test_no_view_module_reaches_a_model_manager():
    """Views fetch through their domain's selectors and access helpers, which scope every
    read to the user; a manager in a view is a read that skipped them."""
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _view_modules()
        for line in _manager_calls(path)
    ]
    assert found == []


def test_the_manager_check_finds_a_manager_call(tmp_path):
    view = tmp_path / "views.py"
    view.write_text(
        "def page(request):\n"
        "    return Person.objects.all()\n"
        "def other(request):\n"
        "    return get_object_or_404(Person, pk=1)\n"
    )
    assert _manager_calls(view) == [2, 4]


def _unexplained_imports(path: Path) -> list[str]:
    """Imports of our own modules inside a function with no comment on the line above or on
    the line itself."""
    lines = path.read_text().splitlines()
    tree = ast.parse("\n".join(lines), filename=str(path))
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if not isinstance(node, ast.ImportFrom | ast.Import):
                continue
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if not any(name.startswith("oae") for name in names):
                continue
            above = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
            own = lines[node.lineno - 1]
            explained = above.startswith("#") or "#" in own
            # A comment may stand above a group of imports: walk up over the group.
            row = node.lineno - 2
            while not explained and row > 0 and lines[row].strip().startswith(("from ", "import ")):
                row -= 1
                explained = lines[row].strip().startswith("#")
            if not explained:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_every_import_inside_a_function_says_why():
    """Imports inside functions hide the real structure; the few Django needs (apps not
    ready yet, as in AppConfig.ready) carry a one-line reason."""
    found = [line for path in _source_files() for line in _unexplained_imports(path)]
    assert found == []
