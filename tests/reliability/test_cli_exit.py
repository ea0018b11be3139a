"""How an `eventwire` process ends (flows.cli.entry): once its command has returned, the exit
handlers run, the streams are flushed, and the process ends with the command's status without the
interpreter's teardown; a process that only imports flows.cli ends as Python ends it."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb

from tests.reliability.clikit import ROOT, cli_args, cli_env


def _buffered(env: dict[str, str]) -> dict[str, str]:
    """Output to a file is block-buffered unless PYTHONUNBUFFERED says otherwise: here it does not."""
    return {k: v for k, v in env.items() if k != "PYTHONUNBUFFERED"}


def test_a_command_that_returned_prints_all_its_output_and_exits_with_its_status(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    duckdb.connect(str(db)).close()
    env = _buffered(cli_env(tmp_path))
    out = tmp_path / "out.csv"
    with out.open("w") as f:      # far more than one buffer: every block must reach the file
        proc = subprocess.run(cli_args("sql", "--db", str(db), "--format", "csv", "--limit", "0",
                                       "SELECT range AS n, 'строка ' || range AS s FROM range(50000)"),
                              cwd=ROOT, env=env, stdout=f, stderr=subprocess.PIPE, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "n,s" and len(lines) == 50001 and lines[-1] == "49999,строка 49999"

    bad = subprocess.run(cli_args("sql", "--db", str(tmp_path / "missing" / "w.duckdb"), "SELECT 1"), cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "eventwire sql: error:" in bad.stderr


def test_exit_handlers_registered_after_the_cli_run_and_a_plain_importer_exits_as_python_does(
        tmp_path: Path) -> None:
    marks = tmp_path / "marks.txt"
    duckdb.connect(str(tmp_path / "w.duckdb")).close()
    code = (f"import atexit, sys\n"
            f"mark = lambda s: open({str(marks)!r}, 'a').write(s + '\\n')\n"
            f"atexit.register(mark, 'before')\n"
            f"sys.argv = ['eventwire', 'sql', '--db', {str(tmp_path / 'w.duckdb')!r}, 'SELECT 42 AS answer']\n"
            f"import flows.cli\n"
            f"atexit.register(mark, 'after')\n"
            f"flows.cli.entry()\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_buffered(cli_env(tmp_path)),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "42" in proc.stdout
    # a handler registered after flows.cli (Prefect's) runs; one registered before it is skipped with the
    # teardown, as only `entry` asks (flows.cli itself shuts logging down, registered before it)
    assert marks.read_text().splitlines() == ["after"]

    marks.unlink()
    plain = (f"import atexit, sys\n"
             f"atexit.register(lambda: open({str(marks)!r}, 'a').write('before\\n'))\n"
             f"import flows.cli\n"
             f"raise SystemExit(3)\n")
    proc = subprocess.run([sys.executable, "-c", plain], cwd=ROOT, env=_buffered(cli_env(tmp_path)),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3 and marks.read_text() == "before\n"


def test_a_command_that_raised_ends_with_pythons_traceback(tmp_path: Path) -> None:
    code = ("import sys, flows.cli\n"
            "def boom(args): raise RuntimeError('unexpected')\n"
            "flows.cli.COMMANDS['sql'] = boom\n"
            "sys.argv = ['eventwire', 'sql', 'SELECT 1']\n"
            "flows.cli.entry()\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_buffered(cli_env(tmp_path)),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "RuntimeError: unexpected" in proc.stderr and "Traceback" in proc.stderr
