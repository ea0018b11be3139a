"""One deadline per fetch attempt, one budget per feed over all retries (issue 10, item 5).

Real servers on 127.0.0.1: one that trickles its response headers a byte at a time (httpx's
per-operation timeouts never fire: the old code kept each attempt open 90 s with a 5 s total
timeout), and one that answers 503 with a long Retry-After. Each fetch runs in a thread joined
with a generous bound, so a regression fails instead of hanging the suite.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from prefect import flow
from prefect.testing.utilities import prefect_test_harness

from feeds.fetch import FetchLimits, fetch_feed, fetch_url
from feeds.security import guarded_client
from flows.tasks import TransientFeedError, fetch_feed_task
from schemas import Feed, FetchStatus
from tests.integration.feed_server import Reply, running_server
from tests.reliability.trickle import TrickleServer, trickling

pytestmark = [pytest.mark.network, pytest.mark.timeout(120)]

LIMITS = FetchLimits(connect_timeout_s=2, read_timeout_s=2, total_timeout_s=2)


def _bounded(call: Callable[[], Any], seconds: float) -> tuple[Any, float]:
    """call() in a thread; its result and elapsed seconds, failing if it outlives `seconds`."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as e:  # re-raised in the test's thread
            box["error"] = e

    started = time.monotonic()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    elapsed = time.monotonic() - started
    assert not thread.is_alive(), f"still running after {elapsed:.0f} s: the deadline is not enforced"
    if "error" in box:
        raise box["error"]
    return box["value"], elapsed


@pytest.fixture()
def trickle() -> Iterator[TrickleServer]:
    with trickling(pause_s=0.3, for_s=90) as server:
        yield server


@pytest.mark.parametrize("client_kind", ["default", "guarded", "plain httpx"])
def test_header_trickle_ends_at_the_total_deadline(trickle: TrickleServer, client_kind: str) -> None:
    url = trickle.url + "/feed.xml"
    client = {"default": None, "guarded": guarded_client(LIMITS.guard(url)), "plain httpx": httpx.Client()}
    try:
        result, elapsed = _bounded(lambda: fetch_url(url, limits=LIMITS, client=client[client_kind],
                                                     trusted_url=url), seconds=20)
    finally:
        for own in client.values():
            if own is not None:
                own.close()
    assert result.status is FetchStatus.FAILED and result.transient
    assert "deadline of 2 s" in (result.error or "") and url in (result.error or ""), result.error
    assert elapsed < 2 + 5, elapsed            # measured: 2.0 s; the old code: until the server stopped (90 s)
    time.sleep(0.8)                           # the server notices the closed connection at its next byte
    assert trickle.held_s and max(trickle.held_s) < 2 + 5, trickle.held_s


def test_deadline_covers_a_slow_body_too() -> None:
    """The body check between chunks was there before; now a guarded recv never outlives the deadline."""
    with running_server() as server:
        def drip(handler: Any) -> None:
            for _ in range(200):
                handler.wfile.write(b"<")
                handler.wfile.flush()
                time.sleep(0.25)

        server.route("/drip.xml", Reply(200, {"Content-Type": "text/xml"}, stream=drip))
        result, elapsed = _bounded(lambda: fetch_feed(server.url + "/drip.xml", limits=LIMITS), seconds=20)
    assert result.status is FetchStatus.FAILED and "deadline" in (result.error or ""), result.error
    assert elapsed < 2 + 5, elapsed


# --- the feed's budget over all Prefect retries -------------------------------------------------------------

@pytest.fixture(scope="module")
def harness() -> Iterator[None]:
    with prefect_test_harness(server_startup_timeout=120):
        yield


def _retried(url: str, *, retries: int, budget_s: float | None) -> TransientFeedError:
    """fetch_feed_task under a Prefect flow with `retries`; the error it finally raised."""
    raised: list[BaseException] = []

    @flow(name="fetch one feed")
    def one() -> None:
        task = fetch_feed_task.with_options(retries=retries, retry_delay_seconds=0.2)
        try:
            task(Feed(url=url, name="hostile"), None, None, limits=LIMITS, page_limits=LIMITS,
                 fetch_linked_pages=False, page_concurrency=1, budget_s=budget_s)
        except TransientFeedError as e:
            raised.append(e)

    one()
    assert len(raised) == 1 and isinstance(raised[0], TransientFeedError), raised
    return raised[0]


def test_retries_of_a_trickling_feed_stop_at_its_budget(harness: None, trickle: TrickleServer) -> None:
    url = trickle.url + "/feed.xml"
    error, elapsed = _bounded(lambda: _retried(url, retries=10, budget_s=5), seconds=45)
    # attempts of 2 s + 0.2 s delays within 5 s: two full attempts, a third cut short, no 4th
    assert elapsed < 5 + 10, elapsed        # old code: 11 attempts until the server stopped (90 s each)
    assert 2 <= len(trickle.held_s) <= 3, trickle.held_s
    assert error.final and "budget of 5 s" in (error.result.error or ""), error.result.error


def test_default_budget_is_every_attempt_deadline_plus_delays(harness: None, trickle: TrickleServer) -> None:
    url = trickle.url + "/feed.xml"
    error, elapsed = _bounded(lambda: _retried(url, retries=1, budget_s=None), seconds=45)
    assert elapsed < 2 * 2 + 0.2 + 10, elapsed   # old code: 2 attempts x 90 s
    assert len(trickle.held_s) <= 2 and error.result.status is FetchStatus.FAILED
    assert "deadline" in (error.result.error or ""), error.result.error


def test_retry_after_past_the_budget_is_not_waited_for(harness: None) -> None:
    with running_server() as server:
        server.route("/busy.xml", Reply(503, {"Retry-After": "30"}, b"busy"))
        error, elapsed = _bounded(lambda: _retried(server.url + "/busy.xml", retries=3, budget_s=10), seconds=45)
        hits = sum(1 for path, _ in server.requests if path == "/busy.xml")
    assert elapsed < 10, elapsed        # old code: slept 30 s before each of 3 retries
    assert hits == 1 and error.final
    assert "Retry-After 30 s" in (error.result.error or "") and "budget of 10 s" in (error.result.error or "")
