"""Imports go one way: the wire wing -> the domain -> the backends; provisioning and the CLI build on the harness.

Read from the source (every import statement, those under TYPE_CHECKING too), so a circle cannot hide
behind a lazy import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = ("functions", "event_sources", "routing", "scheduling", "states", "backends")


def imports_of(path: Path) -> set[str]:
    """The modules a source file imports."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("path", sources("harness"), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_harness_imports_neither_provisioning_nor_the_cli(path):
    wrong = {m for m in imports_of(path) if m.split(".")[0] in {"provisioning", "harness_cli", "handlers", "tests"}}
    assert not wrong, f"{path.relative_to(ROOT)} imports {sorted(wrong)}"


@pytest.mark.parametrize(
    "path",
    [p for package in DOMAIN for p in sources(f"harness/{package}")],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_domain_code_never_imports_the_wire(path):
    wrong = {m for m in imports_of(path) if m.startswith("harness.served") or m == "harness.core"}
    assert not wrong, f"{path.relative_to(ROOT)} imports {sorted(wrong)}"


@pytest.mark.parametrize("path", sources("provisioning") + sources("adapters"), ids=lambda p: str(p.relative_to(ROOT)))
def test_provisioning_and_adapters_never_import_the_cli_or_the_wire(path):
    wrong = {m for m in imports_of(path) if m.split(".")[0] == "harness_cli" or m.startswith("harness.served")}
    assert not wrong, f"{path.relative_to(ROOT)} imports {sorted(wrong)}"
