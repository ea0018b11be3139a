"""Benchmark: `eventwire run` end to end against the bare NLP models on the same cores, in one run.

    .venv/bin/python bench/run_throughput.py [--articles 600] [--chars 2000] [--feeds 6] [--rounds 3]
                                             [--unchanged-feeds 200] [--marginal]

1. **Throughput.** --articles Russian articles of about --chars characters (built from the project's
   own texts, as bench/extraction_speed.py builds them) are served as RSS from 127.0.0.1 in --feeds
   feeds; `eventwire run` loads them into a fresh warehouse (a real CLI process: feeds fetched,
   articles extracted in worker processes, loaded, events resolved), after an untimed run of one
   article that creates Prefect's database in the bench's fresh PREFECT_HOME (about 20 s, once per
   machine). It runs once alone (no PREFECT_API_URL: the run starts a temporary Prefect API server
   of its own), then --rounds times as a deployment runs, against a running Prefect API server
   (started by the bench, as `prefect server start` would be). The same texts go through the bare
   natasha pipeline (segment, morphology, syntax, NER; natasha's own models and calls) in as many
   processes as the machine has cores (one BLAS thread each, its best case; the runs get no such
   setting from the bench, only what a user's shell gives them), models loaded first, before the
   first run and after every run: this shared VM's speed drifts by a third within minutes, so each
   run's ratio divides by the mean of the two timings around it, and the rounds give a median and a
   range. Printed: the rates in articles/s and their ratios (the goal: at least 0.7), by each run's
   wall time (process start to exit: Python's imports, the API server when the run starts one, the
   models' load and the final resolution included) and by its flow time (from the flow's start, the
   fetch included, to the run recorded, as the run's summary line says). --marginal adds a run of
   twice the articles: the marginal rate, (2N - N) / (T(2N) - T(N)), what each further article costs
   once the run is going. For the record, eventwire's own analysis alone (the same models through
   extraction/ru/inference.py, with lemmas and normal forms) is timed against bare natasha.
2. **Memory.** The peak memory of the runs, sampled every 0.1 s: the flow process's RSS and the sum
   of the RSS of the run's processes (the flow, the fork server and its workers), which counts the
   pages they share (the models the workers inherit from the fork server) once per process. Then
   one more run against the running server, untimed, sampled for the PSS of those processes, which
   counts a shared page once, as the machine holds it: reading PSS takes a quarter of a core, and
   made the timed runs 18% longer when they were sampled for it too. The temporary Prefect API
   server a CLI run starts without PREFECT_API_URL is counted apart (a deployment's runs use a
   running server). The goal: the run under 1,000 MB.
3. **The cheap path.** --unchanged-feeds feeds with ETags are loaded once, then run again with
   nothing changed (every feed answers 304): the second run's flow time as the run reports it
   (the conditional GETs included; the goal: under 3 s for 200 feeds) and its wall time with
   process start-up.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from extraction_speed import build_articles, natasha_pipeline  # noqa: E402

from tests.sitekit import rss, serve_site  # noqa: E402
from workers.process import ONE_THREAD  # noqa: E402

BIN = Path(sys.executable).with_name("eventwire")


def _env(home: Path) -> dict[str, str]:
    # the BLAS and OpenMP thread counts bench/extraction_speed.py pins to 1 for bare natasha's
    # processes (its best case) are kept from the runs, which get what a user's shell gives them
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PREFECT_", "EVENTWIRE_")) and k not in ONE_THREAD}
    return env | {"PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
                  "PREFECT_LOGGING_LEVEL": "WARNING", "EVENTWIRE_ALLOW_NETWORKS": "127.0.0.0/8"}


def _is_prefect_api(proc: psutil.Process) -> bool:
    """The temporary Prefect API server a CLI run starts when no PREFECT_API_URL is set (uvicorn)."""
    try:
        return any("uvicorn" in part or "prefect.server" in part for part in proc.cmdline())
    except psutil.Error:
        return False


class PeakRss:
    """The peak memory (MB) of a process and of its whole tree, sampled every 0.1 s in a thread: the
    process's RSS, the RSS summed over the tree, and with `pss` the tree's peak PSS (the temporary
    Prefect API server's apart).

    PSS is read from /proc/<pid>/smaps_rollup, which walks the process's page tables: about 8 ms of
    CPU a process of 300 MB, 30 ms a sample over a run's four processes, a quarter of a core taken
    from a run on two. A timed run is sampled without it (RSS, from /proc/<pid>/statm: 0.03 ms), its
    processes listed again every second, and the PSS comes from a run of its own. Measured (600
    articles against a running server, seven alternating pairs of runs): 26.5 s of wall time with
    PSS sampled, 22.4 s without, every pair slower with it."""

    def __init__(self, pid: int, *, pss: bool = True) -> None:
        self.proc = psutil.Process(pid)
        self.with_pss = pss
        self.main = self.tree = self.pss = self.api = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        children: list[psutil.Process] = []
        listed = 0.0
        while not self._stop.is_set():
            try:
                if self.with_pss or time.monotonic() - listed >= 1.0:
                    children, listed = self.proc.children(recursive=True), time.monotonic()
                main = self.proc.memory_full_info() if self.with_pss else self.proc.memory_info()
            except psutil.Error:
                break
            infos, api = [], 0
            for child in children:
                try:
                    info = child.memory_full_info() if self.with_pss else child.memory_info()
                except psutil.Error:      # a worker that just ended
                    continue
                if _is_prefect_api(child):
                    api += info.pss if self.with_pss else info.rss
                else:
                    infos.append(info)
            self.main = max(self.main, main.rss / 2**20)
            self.tree = max(self.tree, (main.rss + sum(i.rss for i in infos)) / 2**20)
            self.api = max(self.api, api / 2**20)
            if self.with_pss:
                self.pss = max(self.pss, (main.pss + sum(i.pss for i in infos)) / 2**20)
            time.sleep(0.1)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def run_cli(env: dict[str, str], urls: list[str], db: Path, *, pss: bool = False) -> tuple[float, PeakRss, dict]:
    """`eventwire run` over `urls` into `db`: wall seconds, its peak memory (`PeakRss`, with the PSS
    when `pss`: the run then goes slower), and its `runs` row with
    `flow_s`, the flow's time from its start (the fetch included) to the run recorded, as the
    summary line prints it ("eventwire run … — completed in 21.4s")."""
    started = time.perf_counter()
    proc = subprocess.Popen([str(BIN), "run", "-q", "--db", str(db), *sum((["--feeds", u] for u in urls), [])],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = PeakRss(proc.pid, pss=pss)
    out, err = proc.communicate()
    peak.stop()
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"eventwire run failed ({proc.returncode}):\n{err[-3000:]}")
    with duckdb.connect(str(db), read_only=True) as con:
        cur = con.execute("SELECT * FROM runs ORDER BY started_at DESC LIMIT 1")
        row = dict(zip([d[0] for d in cur.description], cur.fetchone(), strict=True))
    line = re.search(r"eventwire run \S+ — completed in ([0-9.]+)s", out)
    if line is None:
        raise SystemExit(f"no summary line in the output of eventwire run:\n{out[-3000:]}")
    return wall, peak, row | {"flow_s": float(line.group(1))}


def _natasha_chunk(texts: list[str]) -> float:
    """Seconds for the bare natasha pipeline over `texts` in this process, natasha's own models
    loaded first."""
    run = natasha_pipeline()
    started = time.perf_counter()
    for text in texts:
        run(text)
    return time.perf_counter() - started


def _analysis_chunk(texts: list[str]) -> float:
    """Seconds for eventwire's own analysis (`extraction.ru.nlp.analyze`) over `texts`, models loaded first."""
    from extraction.ru.nlp import analyze, models
    models()
    started = time.perf_counter()
    for text in texts:
        analyze(text)
    return time.perf_counter() - started


def in_processes(chunk, texts: list[str], processes: int) -> float:
    """Articles per second of `chunk` over `texts` in `processes` processes at once."""
    parts = [texts[i::processes] for i in range(processes)]
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        seconds = pool.map(chunk, parts)
    return len(texts) / max(seconds)


class RunningApi:
    """A Prefect API server that outlives the runs, as a deployment's runs use one."""

    def __init__(self, env: dict[str, str]) -> None:
        from flows.api_server import TemporaryApiServer
        self.server = TemporaryApiServer(env)

    def __enter__(self) -> str:
        return self.server.wait()

    def __exit__(self, *exc: object) -> None:
        self.server.stop()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=600)
    ap.add_argument("--chars", type=int, default=2000)
    ap.add_argument("--feeds", type=int, default=6, help="feeds the articles are spread over")
    ap.add_argument("--rounds", type=int, default=3,
                    help="runs against the running API server, each between two timings of bare natasha")
    ap.add_argument("--unchanged-feeds", type=int, default=200, help="feeds of the unchanged re-run (0: skip it)")
    ap.add_argument("--marginal", action="store_true",
                    help="also a run of twice the articles (the marginal rate; the noisiest figure here)")
    args = ap.parse_args()
    cores = os.cpu_count() or 1
    articles = build_articles("ru", 2 * args.articles if args.marginal else args.articles, args.chars)
    texts = [a.body for a in articles[:args.articles]]
    start = datetime(2025, 6, 2, 8, tzinfo=UTC)

    def feeds_of(site, some: list, name: str) -> list[str]:
        urls = []
        for f in range(args.feeds):
            items = [{"guid": f"bench-{i}", "title": a.body[:60], "text": a.body, "link": f"http://bench.example/{i}",
                      "published": start + timedelta(minutes=i)}
                     for i, a in enumerate(some) if i % args.feeds == f]
            urls.append(site.put(f"/{name}{f}.xml", rss(items)))
        return urls

    def report(what: str, wall: float, peak: PeakRss, summary: dict) -> None:
        n = summary["articles_new"]
        memory = (f"peak memory {peak.pss:.0f} MB (PSS of the flow, the fork server and its workers; goal < 1,000 MB); "
                  if peak.with_pss else "")
        print(f"eventwire run, {what}: {n} articles in {wall:.1f} s = {n / wall:.1f} articles/s (flow time "
              f"{summary['flow_s']:.1f} s = {n / summary['flow_s']:.1f} articles/s); {summary['records_meetings']} "
              f"meetings, {summary['records_mechanisms']} mechanisms, {summary['rejects']} rejects; {memory}"
              f"RSS of the flow process {peak.main:.0f} MB, RSS summed over the run's processes {peak.tree:.0f} MB "
              "(shared pages counted once per process)"
              + (f", plus {peak.api:.0f} MB RSS for the temporary Prefect API server" if peak.api else ""))

    def spread(values: list[float]) -> str:
        return f"{statistics.median(values):.2f} (range {min(values):.2f}-{max(values):.2f})"

    with tempfile.TemporaryDirectory() as tmp, serve_site() as site:
        tmp_path = Path(tmp)
        (tmp_path / "home").mkdir()
        env = _env(tmp_path / "home")
        # a first run on a machine creates Prefect's database (about 20 s here): done once, untimed,
        # as on any machine that has run eventwire before
        run_cli(env, feeds_of(site, articles[:1], "warm")[:1], tmp_path / "warm.duckdb")
        urls = feeds_of(site, articles[:args.articles], "feed")
        bare = [in_processes(_natasha_chunk, texts, cores)]
        lone = run_cli(env, urls, tmp_path / "lone.duckdb")
        bare.append(in_processes(_natasha_chunk, texts, cores))
        served = []
        with RunningApi(env) as api_url:
            served_env = env | {"PREFECT_API_URL": api_url}
            for r in range(args.rounds):
                served.append(run_cli(served_env, urls, tmp_path / f"served{r}.duckdb"))
                bare.append(in_processes(_natasha_chunk, texts, cores))
            # the memory: a run of its own, untimed, since reading PSS slows a run (`PeakRss`)
            measured = run_cli(served_env, urls, tmp_path / "memory.duckdb", pss=True)
            if args.marginal:
                double = run_cli(served_env, feeds_of(site, articles, "double"), tmp_path / "double.duckdb")
        report("alone (it starts a temporary Prefect API server)", *lone)
        for r, run in enumerate(served, 1):
            report(f"against a running Prefect API server, round {r}", *run)
        report("against the running server, for its memory (PSS sampled, not timed)", *measured)
        print(f"bare natasha (segment, morph, syntax, NER) in {cores} processes, timed between the runs: "
              + ", ".join(f"{b:.1f}" for b in bare) + " articles/s")
        # each run against the mean of the timings just before and just after it
        around = [(bare[i] + bare[i + 1]) / 2 for i in range(len(bare) - 1)]
        n = lone[2]["articles_new"]

        def served_ratios(seconds) -> str:     # seconds(run): its wall or flow time
            return spread([run[2]["articles_new"] / seconds(run) / b for run, b in zip(served, around[1:], strict=True)])

        print(f"ratio to bare natasha (goal >= 0.7): by wall time alone {n / lone[0] / around[0]:.2f}; against a "
              f"running server, by wall time {served_ratios(lambda run: run[0])}, by flow time "
              f"{served_ratios(lambda run: run[2]['flow_s'])} over {args.rounds} rounds")
        if args.marginal:
            wall2, peak2, summary2 = double
            n2, t_n = summary2["articles_new"], statistics.median(run[0] for run in served)
            marginal = (n2 - n) / (wall2 - t_n)
            print(f"eventwire run of {n2} articles against the running server: {wall2:.1f} s (flow time "
                  f"{summary2['flow_s']:.1f} s); marginal rate {marginal:.1f} articles/s against the rounds' median "
                  f"{t_n:.1f} s, {marginal / bare[-1]:.2f} of bare natasha; RSS summed over its processes {peak2.tree:.0f} MB")
        analysis = in_processes(_analysis_chunk, texts, cores)
        last = in_processes(_natasha_chunk, texts, cores)
        flow_rate = statistics.median(run[2]["articles_new"] / run[2]["flow_s"] for run in served)
        print(f"for the record: eventwire's own analysis (the same models through extraction/ru/inference.py, "
              f"lemmas and normal forms made) alone in {cores} processes: {analysis:.1f} articles/s against bare "
              f"natasha's {last:.1f} just after ({analysis / last:.2f}); the runs' median flow rate "
              f"{flow_rate:.1f} articles/s")
        if args.unchanged_feeds:
            small = [site.put(f"/small{f}.xml", rss([{"guid": f"s-{f}", "title": "x", "text": articles[f % len(
                articles)].body, "published": start}]), ETag=f'"s{f}"')
                for f in range(args.unchanged_feeds)]
            run_cli(env, small, tmp_path / "small.duckdb")
            wall, _peak, summary = run_cli(env, small, tmp_path / "small.duckdb")
            print(f"unchanged re-run of {len(small)} feeds: flow time {summary['flow_s']:.1f} s (goal < 3 s), "
                  f"wall {wall:.1f} s with process start-up; {summary['feeds_not_modified']} not modified")
    return 0


if __name__ == "__main__":
    sys.exit(main())
