"""The temporary Prefect API server a CLI command starts when no API is configured
(flows/api_server.py): a real server on 127.0.0.1 that flows talk to, started on another port
when its port is taken, gone when the command's process is killed, and clear errors when it
cannot come up."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import httpx
import psutil
import pytest
from prefect.settings import PREFECT_API_URL, temporary_settings

from flows.api_server import ApiServerError, TemporaryApiServer, prefect_api

ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent("""
    import socket, sys, time
    import flows.api_server as api_server

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    ports = [taken.getsockname()[1]]
    free = api_server._free_port
    api_server._free_port = lambda: ports.pop() if ports else free()   # the first port is taken

    api = api_server.prefect_api()
    first_port = api.server.port
    with api.in_use():
        from prefect.settings import PREFECT_API_URL
        print(first_port, api.server.port, api.server.process.pid, PREFECT_API_URL.value(),
              "prefect.server.api.server" in sys.modules, flush=True)
    time.sleep(600)
""")


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    return env | {"PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
                  "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180", "PYTHONPATH": str(ROOT)}


@pytest.mark.slow
def test_the_server_answers_moves_off_a_taken_port_and_ends_with_its_parent(tmp_path: Path) -> None:
    child = subprocess.Popen([sys.executable, "-c", CHILD], env=_env(tmp_path), stdout=subprocess.PIPE, text=True)
    try:
        first_port, port, pid, url, imported = child.stdout.readline().split()
        assert first_port != port                      # uvicorn could not bind the taken port: started again
        assert url == f"http://127.0.0.1:{port}/api"   # the flow's client talks to the server that answers
        assert imported == "False"                     # the command never imports Prefect's server package
        assert httpx.get(f"{url}/health").status_code == 200
        server = psutil.Process(int(pid))
        child.kill()                                   # SIGKILL: no atexit handler runs in the command
        child.wait()
        server.wait(timeout=30)                        # the server ends with it (PR_SET_PDEATHSIG)
    finally:
        if child.poll() is None:
            child.kill()
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{url}/health")
    assert (tmp_path / "prefect.db").exists()          # the runs' database is PREFECT_HOME's, as Prefect's own


def test_no_server_when_an_api_is_configured() -> None:
    with temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:9/api"}):
        api = prefect_api()
        assert api.server is None
        with api.in_use():
            assert PREFECT_API_URL.value() == "http://127.0.0.1:9/api"


def _fake_uvicorn(tmp_path: Path, body: str) -> dict[str, str]:
    """An environment whose `python -m uvicorn` runs `body` instead."""
    package = tmp_path / "fake" / "uvicorn"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "__main__.py").write_text(textwrap.dedent(body))
    return dict(os.environ, PYTHONPATH=str(tmp_path / "fake"))


def test_a_server_that_exits_is_an_error_with_its_output(tmp_path: Path) -> None:
    env = _fake_uvicorn(tmp_path, """
        import sys
        print("database is locked: /home/x/.prefect/prefect.db", flush=True)
        sys.exit(7)
    """)
    server = TemporaryApiServer(env, startup_timeout_s=60)
    with pytest.raises(ApiServerError, match=r"exited with code 7: database is locked: /home/x/\.prefect"):
        server.wait()
    server.stop()
    server.stop()       # twice: nothing


def test_a_server_that_does_not_answer_in_time_is_stopped_and_an_error(tmp_path: Path) -> None:
    env = _fake_uvicorn(tmp_path, """
        import time
        print("migrating", flush=True)
        time.sleep(600)
    """)
    server = TemporaryApiServer(env, startup_timeout_s=1.5)
    started = time.monotonic()
    with pytest.raises(ApiServerError, match=r"did not answer on http://127\.0\.0\.1:\d+/api within 1\.5 s.*migrating"):
        server.wait()
    assert time.monotonic() - started < 30
    assert server.process.poll() is not None       # stopped, not left behind
