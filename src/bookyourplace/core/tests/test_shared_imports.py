"""Shared code sits at the bottom of the layers: nothing in core/ (its tests aside) imports a
domain app or a face, so any app may use it without a cycle (issue 11, point 2)."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[1]


def _imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_core_imports_no_domain_app_or_face():
    reaching_up = {
        f"{path.relative_to(CORE)}: {module}"
        for path in CORE.rglob("*.py")
        if "tests" not in path.relative_to(CORE).parts
        for module in _imported_modules(path)
        if module.startswith("bookyourplace.") and not module.startswith("bookyourplace.core")
    }
    assert not reaching_up


def test_the_demo_organiser_command_is_still_there():
    # Moved from core to accounts (it makes an account); `make run` calls it by this name.
    from django.core.management import get_commands

    assert get_commands()["demo_organiser"] == "bookyourplace.accounts"
