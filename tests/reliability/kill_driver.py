"""Test driver: `eventwire run ARGS` in this process, which SIGKILLs itself at the N-th step of a stage.

    python -m tests.reliability.kill_driver STAGE N -- run ARGS...

STAGE is `fetch` (after the N-th feed fetch returned, others still in flight), `extract`
(before the N-th article is extracted) or `sql` (before the N-th statement on the run's
warehouse connection: inside migrations, batch transactions, feed bookkeeping). N = 0 never
kills. The hooks wrap product functions from the outside; the product code has no kill hook.
"""
from __future__ import annotations

import os
import signal
import sys
import threading


def main(argv: list[str]) -> int:
    stage, n = argv[0], int(argv[1])
    args = argv[argv.index("--") + 1:]
    seen = {"fetch": 0, "extract": 0, "sql": 0}
    lock = threading.Lock()

    def step(name: str) -> None:
        with lock:
            seen[name] += 1
            hit = name == stage and seen[name] == n
        if hit:
            os.kill(os.getpid(), signal.SIGKILL)

    import extraction.pipeline
    import flows.steps
    import warehouse.db

    fetch_feed = flows.steps.fetch_feed

    def counted_fetch(*a, **k):
        result = fetch_feed(*a, **k)
        step("fetch")
        return result

    extract = extraction.pipeline.extract

    def counted_extract(article):
        step("extract")
        return extract(article)

    connect = warehouse.db.connect   # the run's connections: warehouse.db.Writer and connect_waiting open them

    class Counted:
        def __init__(self, con) -> None:
            self._con = con

        def execute(self, *a, **k):
            step("sql")
            return self._con.execute(*a, **k)

        def __getattr__(self, name: str):
            return getattr(self._con, name)

    flows.steps.fetch_feed = counted_fetch
    extraction.pipeline.extract = counted_extract
    warehouse.db.connect = lambda *a, **k: Counted(connect(*a, **k))
    from flows.cli import main as cli
    code = cli(args)
    print(f"steps {seen['fetch']} {seen['extract']} {seen['sql']}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
