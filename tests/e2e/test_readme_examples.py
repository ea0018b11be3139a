"""The README's examples run as written and print what the README shows.

On a warehouse built the way `make demo` builds it (the demo feeds served from 127.0.0.1), every
``.venv/bin/eventwire ... data/demo.duckdb ...`` command of the README's ```sh blocks runs from
a fresh working directory and exits 0; when a plain ``` block follows one directly, that block
is the command's output, character for character (tables as `eventwire sql` prints them in a
terminal of TERMINAL_COLUMNS columns). Commands that write files (export, report) must leave
them there.

    EVENTWIRE_UPDATE_README=1 .venv/bin/python -m pytest tests/e2e/test_readme_examples.py

writes the outputs into README.md instead (then review the diff).
"""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DEMO_DB = "data/demo.duckdb"
TERMINAL_COLUMNS = "150"
UPDATE = os.environ.get("EVENTWIRE_UPDATE_README") == "1"

pytestmark = [pytest.mark.slow, pytest.mark.network, pytest.mark.timeout(900)]

_FENCE = re.compile(r"^```([a-z]*)\n(.*?)^```\n", flags=re.S | re.M)


@dataclass
class Example:
    argv: list[str]
    output: str | None           # the plain block that follows the command's block, if any
    output_span: tuple[int, int] | None


def _commands(block: str) -> Iterator[list[str]]:
    """The shell commands of a block, a command continuing over lines while a quote is open."""
    pending = ""
    for line in block.splitlines():
        pending = f"{pending}\n{line}" if pending else line
        try:
            argv = shlex.split(pending, comments=True)
        except ValueError:      # an open quote: the command goes on
            continue
        pending = ""
        if argv:
            yield argv


def readme_examples(text: str) -> list[Example]:
    fences = list(_FENCE.finditer(text))
    out = []
    for i, fence in enumerate(fences):
        if fence.group(1) != "sh":
            continue
        commands = [argv for argv in _commands(fence.group(2))
                    if argv[0] == ".venv/bin/eventwire" and DEMO_DB in argv]
        following = fences[i + 1] if i + 1 < len(fences) else None
        has_output = following is not None and following.group(1) == "" \
            and not text[fence.end():following.start()].strip()
        for n, argv in enumerate(commands):
            last = n == len(commands) - 1
            out.append(Example(argv, following.group(2) if has_output and last else None,
                               following.span(2) if has_output and last else None))
    return out


def test_the_readme_has_examples_with_outputs():
    examples = readme_examples(README.read_text(encoding="utf-8"))
    commands = {argv[1] for e in examples for argv in [e.argv]}
    assert {"sql", "export", "report"} <= commands
    assert sum(e.output is not None for e in examples) >= 3


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """A fresh directory holding data/demo.duckdb as `make demo` builds it (and .venv linked)."""
    work = tmp_path_factory.mktemp("readme")
    home = work / ".prefect-home"
    home.mkdir()
    env = _env(home)
    demo = subprocess.run([sys.executable, "-m", "flows.demo", "--db", str(work / DEMO_DB), "--port", "0"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert demo.returncode == 0, demo.stderr[-3000:]
    (work / ".venv").symlink_to(ROOT / ".venv")
    return work


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "EVENTWIRE_"))}
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1",
               PREFECT_LOGGING_LEVEL="WARNING", COLUMNS=TERMINAL_COLUMNS, LINES="50", TERM="dumb")
    return env


def test_readme_examples_run_as_written(workdir: Path):
    text = README.read_text(encoding="utf-8")
    examples = readme_examples(text)
    env = _env(workdir / ".prefect-home")
    replacements: list[tuple[tuple[int, int], str]] = []
    for example in examples:
        proc = subprocess.run(example.argv, cwd=workdir, env=env, capture_output=True, text=True, timeout=300)
        shown = shlex.join(example.argv)
        assert proc.returncode == 0, f"{shown}\n{proc.stderr}"
        if example.argv[1] == "export":
            out = Path(workdir, example.argv[example.argv.index("--out") + 1])
            assert (out / "meetings").is_dir() or (out / "meetings.csv").is_file(), shown
        if example.argv[1] == "report":
            report = Path(workdir, example.argv[example.argv.index("--out") + 1])
            assert report.stat().st_size > 100_000 and "vega" in report.read_text(encoding="utf-8"), shown
        if example.output_span is None:
            continue
        printed = "\n".join(line.rstrip() for line in proc.stdout.splitlines()) + "\n"
        if UPDATE:
            replacements.append((example.output_span, printed))
        else:
            assert printed == example.output, f"README output of `{shown}` is stale; it prints:\n{printed}"
    if UPDATE and replacements:
        for (start, end), printed in sorted(replacements, reverse=True):
            text = text[:start] + printed + text[end:]
        README.write_text(text, encoding="utf-8")
