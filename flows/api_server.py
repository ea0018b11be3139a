"""A temporary Prefect API server for one CLI command, started as the command starts.

Without `PREFECT_API_URL` (in the environment or the Prefect profile), Prefect starts a temporary
API server the moment a flow first needs its client: the CLI process imports Prefect's whole
server package (about 3 CPU-seconds) only to launch it, then waits 5-10 s for it, with nothing
else going on. `eventwire run` and `eventwire reprocess` start the same server themselves (the
command Prefect runs, `uvicorn prefect.server.api.server:create_app` with the UI off, on the
database in PREFECT_HOME) before they import the flow, the warehouse and the extractors, so
that the server starts while they do; the flow's client is then pointed at it
(`prefect.settings.temporary_settings`). Its runs land where Prefect's own temporary server
would put them, so `prefect server start` shows them later.

Unlike Prefect's, this server is told to end with its parent (Linux `PR_SET_PDEATHSIG`): a CLI
process that is killed does not leave a server behind.

    api = prefect_api()               # starts the server when no API is configured
    from flows.ingest import ingest   # imported while it starts
    with api.in_use():                # waits until it answers; the flow's client uses it
        ingest(...)
"""
from __future__ import annotations

import atexit
import ctypes
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import IO

import httpx

PORT_IN_USE = 3          # uvicorn's exit code when it cannot bind its port
_PR_SET_PDEATHSIG = 1


class ApiServerError(RuntimeError):
    """The temporary API server did not come up: says why, with the tail of its output."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _end_with_parent() -> None:
    """In the server's process before it starts: SIGTERM when the process that started it ends."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class TemporaryApiServer:
    """Prefect's API server in a child process on 127.0.0.1 (see the module docstring)."""

    def __init__(self, env: dict[str, str], *, port: int | None = None, startup_timeout_s: float = 120.0) -> None:
        self.env, self.startup_timeout_s = env, startup_timeout_s
        self.port = port or _free_port()
        self._log: IO[bytes] = tempfile.TemporaryFile()
        self.process = self._launch()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def _launch(self) -> subprocess.Popen:
        spec = importlib.util.find_spec("prefect")
        if spec is None or not spec.submodule_search_locations:
            raise ApiServerError("the prefect package cannot be found")
        app_dir = Path(next(iter(spec.submodule_search_locations))).parent
        return subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--app-dir", str(app_dir), "--factory",
             "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(self.port),
             "--log-level", "error", "--lifespan", "on"],
            env={**self.env, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"},
            stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
            preexec_fn=_end_with_parent if os.name == "posix" else None)    # Windows has no preexec_fn

    def wait(self) -> str:
        """The server's API URL once `/health` answers; started again on another port when its
        port was taken meanwhile. `ApiServerError` when it exits or does not answer in time."""
        deadline = time.monotonic() + self.startup_timeout_s
        with httpx.Client(timeout=2.0) as client:
            while time.monotonic() < deadline:
                code = self.process.poll()
                if code == PORT_IN_USE:
                    self.port = _free_port()
                    self.process = self._launch()
                    continue
                if code is not None:
                    raise ApiServerError(f"the temporary Prefect API server exited with code {code}: {self._tail()}")
                try:
                    if client.get(f"{self.api_url}/health").status_code == 200:
                        return self.api_url
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
        output = self._tail()
        self.stop()
        raise ApiServerError(f"the temporary Prefect API server did not answer on {self.api_url} within "
                             f"{self.startup_timeout_s:g} s (PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS): "
                             f"{output}")

    def _tail(self) -> str:
        self._log.seek(0)
        text = self._log.read().decode("utf-8", "replace").strip()
        return text[-2000:] or "(no output)"

    def stop(self) -> None:
        """Terminate the server (killed when it does not end within 5 s); again: nothing."""
        if self._log.closed:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


class PrefectApi:
    """The API a command's flows talk to: the configured one, or a temporary server of its own."""

    def __init__(self, server: TemporaryApiServer | None) -> None:
        self.server = server

    def in_use(self) -> AbstractContextManager[object]:
        """Flows run inside talk to this API (after the temporary server answers)."""
        if self.server is None:
            return nullcontext()
        from prefect.settings import PREFECT_API_URL, temporary_settings
        return temporary_settings(updates={PREFECT_API_URL: self.server.wait()})


def prefect_api() -> PrefectApi:
    """A temporary API server, started now, when no Prefect API is configured and Prefect's
    ephemeral mode is on (else the configured API, or Prefect's own error).

    The server is stopped when the interpreter exits, as Prefect stops its own: after Prefect's
    log and event services have sent what they hold (they drain before `atexit` handlers run)."""
    from prefect.settings import get_current_settings

    settings = get_current_settings()
    server = None
    if not settings.api.url and settings.server.ephemeral.enabled:
        env = {**os.environ, **settings.to_environment_variables(exclude_unset=True)}
        server = TemporaryApiServer(env, startup_timeout_s=float(settings.server.ephemeral.startup_timeout_seconds))
        atexit.register(server.stop)
    return PrefectApi(server)
