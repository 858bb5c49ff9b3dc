"""The layout shows the architecture: docs/architecture.md's package table matches the tree, and
each package imports only what its row allows, so the flow runs one way."""

from __future__ import annotations

import ast
import re
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHALICELIB = ROOT / "chalicelib"
ROW = re.compile(r"^\| `chalicelib/([\w/]+)/` \| [^|]+ \| ([^|]+) \|$")
ANYTHING = "anything"  # the composition root's providers, and the simulation that drives the app
NOTHING = "nothing"


def package_of(module: str) -> str:
    """`chalicelib.channels.email.mime` -> `channels/email`; `chalicelib.store.keys` -> `store`."""
    parts = module.split(".")[1:]
    if parts[0] == "channels" and len(parts) > 1 and (CHALICELIB / "channels" / parts[1]).is_dir():
        return f"channels/{parts[1]}"
    return parts[0]


def documented() -> dict[str, set[str] | None]:
    """The table's packages and what each may import (None: anything)."""
    rows: dict[str, set[str] | None] = {}
    for line in (ROOT / "docs" / "architecture.md").read_text().splitlines():
        found = ROW.match(line.strip())
        if found:
            names = {name.strip() for name in found.group(2).split(",")}
            rows[found.group(1)] = None if names == {ANYTHING} else names - {NOTHING}
    return rows


def packages_in_tree() -> set[str]:
    """Every package of chalicelib; the channels' sub-packages each count."""
    inits = [*CHALICELIB.glob("*/__init__.py"), *CHALICELIB.glob("channels/*/__init__.py")]
    return {init.parent.relative_to(CHALICELIB).as_posix() for init in inits}


def sources_of(package: str) -> list[Path]:
    """The package's modules (for `channels`, only its own: each sub-package is a row)."""
    folder = CHALICELIB / package
    return list(folder.glob("*.py") if package == "channels" else folder.rglob("*.py"))


def imported_modules(path: Path) -> set[str]:
    """The chalicelib modules a file imports, at run time or under TYPE_CHECKING."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module == "chalicelib":
            found |= {f"chalicelib.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {name for name in found if name.startswith("chalicelib.")}


def imports_of(package: str) -> set[str]:
    """The other packages of ours that a package's modules import."""
    modules = {m for path in sources_of(package) for m in imported_modules(path)}
    return {package_of(m) for m in modules} - {package}


def test_the_root_holds_only_the_composition_roots_entry_point() -> None:
    assert {path.name for path in CHALICELIB.glob("*.py")} == {"__init__.py", "bootstrap.py"}


def test_the_table_lists_every_package_and_no_other() -> None:
    assert set(documented()) == packages_in_tree()


def test_each_package_says_its_job_and_what_it_may_import_and_loads_nothing() -> None:
    for package in packages_in_tree():
        tree = ast.parse((CHALICELIB / package / "__init__.py").read_text())
        assert "May import" in (ast.get_docstring(tree) or ""), package
        assert imported_modules(CHALICELIB / package / "__init__.py") == set(), package


def test_each_package_imports_only_what_its_row_allows() -> None:
    for package, allowed in documented().items():
        if allowed is not None:
            assert imports_of(package) <= allowed, (package, imports_of(package) - allowed)


def test_no_two_packages_import_each_other() -> None:
    graph = {package: allowed for package, allowed in documented().items() if allowed is not None}
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as cycle:
        raise AssertionError(f"packages import each other: {cycle.args[1]}") from None
    assert order[0] == "domain"


def test_domain_imports_nothing_else_of_ours() -> None:
    assert imports_of("domain") == set()
