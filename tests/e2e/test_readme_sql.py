"""Every SQL statement in the README's ```sql blocks runs on a real (tiny) warehouse."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from warehouse import connect, migrate

ROOT = Path(__file__).resolve().parents[2]


def readme_statements() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sql\n(.*?)```", text, flags=re.S)
    statements = []
    for block in blocks:
        body = "\n".join(line for line in block.splitlines() if not line.strip().startswith("--"))
        statements += [s.strip() for s in body.split(";") if s.strip()]
    return statements


@pytest.mark.parametrize("statement", readme_statements())
def test_readme_sql_runs(statement, tmp_path):
    con = connect(tmp_path / "w.duckdb")
    migrate(con)
    con.execute(statement).fetchall()
    con.close()
