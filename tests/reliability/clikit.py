"""Helpers of the reliability tests that run the real CLI or library code in a child process, bounded.

The child runs `python -m flows.cli` (or `python -c CODE`) from the checkout that holds this
file, so the tests exercise that checkout's code (also from a git worktree), with a memory
cap (RLIMIT_AS) and a timeout: code that reads /dev/zero without a cap, or blocks on a FIFO,
fails the test instead of exhausting the machine.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MEMORY_CAP = 3 * 1024 ** 3


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def cli_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A clean environment: Prefect home in `tmp_path`, no EVENTWIRE_/PREFECT_ variables but `extra`."""
    home = tmp_path / "prefect-home"
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "EVENTWIRE_"))}
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1",
               PREFECT_LOGGING_LEVEL="WARNING", PYTHONUNBUFFERED="1", **extra)
    return env


def cli_args(*args: str) -> list[str]:
    return [sys.executable, "-m", "flows.cli", *args]


def run_cli(env: dict[str, str], *args: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    """`eventwire ARGS` of this checkout, memory-capped, killed after `timeout` seconds."""
    return subprocess.run(cli_args(*args), env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          preexec_fn=_cap_memory)


def popen_cli(env: dict[str, str], *args: str, cap_memory: bool = True) -> subprocess.Popen[str]:
    """`eventwire ARGS` of this checkout, started; `cap_memory=False` for a DuckDB query that needs
    more address space than MEMORY_CAP (DuckDB's allocator reserves it per thread)."""
    return subprocess.Popen(cli_args(*args), env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, preexec_fn=_cap_memory if cap_memory else None)


def run_child(code: str, *, timeout: float = 60) -> object:
    """Run Python `code` in a memory-capped child (cwd: this checkout); it prints one JSON value last."""
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          preexec_fn=_cap_memory)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def one_line_error(proc: subprocess.CompletedProcess[str], code: int, *words: str) -> str:
    """The single stderr line of a failed command, checked for exit `code`, no traceback, and `words`."""
    assert proc.returncode == code, (proc.returncode, proc.stderr[-3000:])
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr[-3000:]
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process `pid` so far (from /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_until(condition, *, timeout: float, what: str, every: float = 0.05) -> None:
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout, f"timed out after {timeout} s waiting for {what}"
        time.sleep(every)
