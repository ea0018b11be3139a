"""flows/tasks.py: a feed's task takes the run's conditional probe as its first attempt (no second
GET), and the feed's fetch budget counts from the probe."""
from __future__ import annotations

import time

from feeds.fetch import FetchLimits
from flows.tasks import _budget, fetch_feed_task
from schemas import Feed, FetchResult, FetchStatus
from tests.e2e.conftest import ARTICLES
from tests.sitekit import rss

# nothing listens on port 9 of 127.0.0.1: a GET there would fail, so a fetched feed came from the probe
FEED = Feed(url="http://127.0.0.1:9/feed.xml", name="probed")
LIMITS = FetchLimits(total_timeout_s=5.0, allowed_networks=("127.0.0.0/8",))


def test_a_probe_that_got_the_feed_is_parsed_without_a_second_get():
    probed = FetchResult(feed_url=FEED.url, status=FetchStatus.OK, http_status=200, content=rss(ARTICLES).encode(),
                         headers={"content-type": "application/rss+xml"}, etag='"v2"')
    outcome = fetch_feed_task.fn(FEED, '"v1"', None, limits=LIMITS, page_limits=LIMITS, fetch_linked_pages=False,
                                 page_concurrency=1, probed=probed, probed_at=time.time())
    assert outcome.fetch.status is FetchStatus.OK and outcome.fetch.etag == '"v2"'
    assert [a.guid for a in outcome.articles] == [a["guid"] for a in ARTICLES]


def test_a_failed_probe_is_the_first_attempt_and_reported_as_such():
    probed = FetchResult(feed_url=FEED.url, status=FetchStatus.FAILED, http_status=404, error="HTTP 404")
    outcome = fetch_feed_task.fn(FEED, '"v1"', None, limits=LIMITS, page_limits=LIMITS, fetch_linked_pages=False,
                                 page_concurrency=1, probed=probed, probed_at=time.time())
    assert outcome.failed and outcome.error == "HTTP 404"


def test_the_budget_counts_from_the_probe():
    at = time.time() - 100
    budget = _budget(None, LIMITS, 120.0, at)
    assert abs(budget.deadline - (at + 120.0)) < 1e-6 and budget.left() < 21
