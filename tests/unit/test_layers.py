"""Dependencies point one way: flows → feeds, extraction, events, warehouse → schemas (and
feeds, extraction → workers, which imports nothing of the project)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {
    "schemas": {"feeds", "extraction", "events", "warehouse", "flows", "prefect", "duckdb", "httpx", "natasha"},
    "feeds": {"extraction", "events", "warehouse", "flows", "prefect", "duckdb"},
    "extraction": {"feeds", "events", "warehouse", "flows", "prefect", "duckdb"},
    "events": {"feeds", "extraction", "warehouse", "flows", "prefect", "duckdb", "natasha"},
    "warehouse": {"feeds", "extraction", "events", "flows", "prefect"},
    "reports": {"feeds", "extraction", "events", "flows", "prefect", "natasha"},
    "workers": {"schemas", "feeds", "extraction", "events", "warehouse", "flows", "prefect", "duckdb"},
}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_point_one_way(package):
    offenders = {str(p.relative_to(ROOT)): sorted(imported_roots(p) & FORBIDDEN[package])
                 for p in (ROOT / package).rglob("*.py")}
    assert not {k: v for k, v in offenders.items() if v}
