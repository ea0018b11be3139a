"""workers/process.child_env: a worker child gets the project on its path and one BLAS/OpenMP
thread, whatever the parent's shell says (a pool is sized to the cores already)."""
from __future__ import annotations

import os
import subprocess
import sys

from workers.process import ONE_THREAD, child_env


def test_a_child_gets_one_blas_thread_even_when_the_shell_asks_for_more(monkeypatch):
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "8")
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    env = child_env()
    assert env["OPENBLAS_NUM_THREADS"] == "1" and env["OMP_NUM_THREADS"] == "1" and env["MKL_NUM_THREADS"] == "1"
    assert os.environ["OPENBLAS_NUM_THREADS"] == "8"        # the parent's own environment is left alone


def test_a_child_keeps_the_rest_of_the_environment_and_finds_the_project(monkeypatch, tmp_path):
    monkeypatch.setenv("EVENTWIRE_SOMETHING", "kept")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    env = child_env()
    assert env["EVENTWIRE_SOMETHING"] == "kept"
    _root, rest = env["PYTHONPATH"].split(os.pathsep)
    assert rest == str(tmp_path)
    out = subprocess.run([sys.executable, "-c", "import os, workers; print(os.environ['OPENBLAS_NUM_THREADS'])"],
                         env=env, capture_output=True, text=True, check=True, cwd=tmp_path)
    assert out.stdout.strip() == "1" and set(ONE_THREAD.values()) == {"1"}
