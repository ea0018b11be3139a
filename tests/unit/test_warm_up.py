"""flows/ingest.py `_WarmUp`: the workers' models start loading during the fetch only for feeds
whose content changed, once they bring enough articles; a run where nothing changed loads none."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from feeds.spool import SpooledArticle
from flows import ingest
from flows.settings import Settings
from schemas import FetchResult, FetchStatus
from tests.sitekit import rss
from warehouse.feeds import FeedState

URL = "http://127.0.0.1:8000/feed.xml"
WHEN = datetime(2025, 6, 2, 8, tzinfo=UTC)


class _Workers:
    def __init__(self) -> None:
        self.prestarted: list[set[str]] = []

    def prestart(self, languages: set[str]) -> None:
        self.prestarted.append(set(languages))


@pytest.fixture()
def workers(monkeypatch: pytest.MonkeyPatch) -> _Workers:
    pool = _Workers()
    monkeypatch.setattr(ingest, "article_workers", lambda processes: pool)
    monkeypatch.setattr(ingest, "_worker_processes", lambda settings: 2)
    return pool


def _articles(n: int, language: str = "ru", feed: str = URL) -> list[SpooledArticle]:
    return [SpooledArticle(article_id=f"a{i}", feed_url=feed, url=None, guid=None, language=language,
                           content_hash=f"h{i}", offset=i, size=1) for i in range(n)]


def _ok(etag: str | None = None, last_modified: str | None = None, url: str = URL) -> FetchResult:
    return FetchResult(feed_url=url, status=FetchStatus.OK, http_status=200, content=b"<rss/>", etag=etag,
                       last_modified=last_modified)


def _warm_up(states: dict) -> ingest._WarmUp:
    return ingest._WarmUp(Settings(extract_processes_from=20), states)


def test_a_feed_fetched_for_the_first_time_starts_the_load_once_enough_articles_came(workers):
    other = "http://127.0.0.1:8000/other.xml"
    warm = _warm_up({})
    warm.seen(_ok(), _articles(12))
    assert workers.prestarted == []                         # 12 < 20
    warm.seen(_ok(url=other), _articles(8, "en", other))
    assert workers.prestarted == [{"ru", "en"}]
    warm.seen(_ok(), _articles(50))
    assert len(workers.prestarted) == 1                     # once


def test_a_changed_etag_or_last_modified_starts_it(workers):
    _warm_up({URL: FeedState(feed_url=URL, etag='"v1"')}).seen(_ok(etag='"v2"'), _articles(30))
    _warm_up({URL: FeedState(feed_url=URL, last_modified="Mon, 01 Jun 2025 08:00:00 GMT")}).seen(
        _ok(last_modified="Tue, 02 Jun 2025 08:00:00 GMT"), _articles(30))
    assert workers.prestarted == [{"ru"}, {"ru"}]


@pytest.mark.parametrize("fetch", [
    _ok(etag='"v1"'),                                                       # the same ETag, answered 200
    _ok(),                                                                  # a known feed without validators
    FetchResult(feed_url=URL, status=FetchStatus.NOT_MODIFIED, http_status=304, etag='"v1"'),
    FetchResult(feed_url=URL, status=FetchStatus.FAILED, error="boom"),
])
def test_nothing_that_may_be_unchanged_starts_it(workers, fetch):
    _warm_up({URL: FeedState(feed_url=URL, etag='"v1"')}).seen(fetch, _articles(100))
    assert workers.prestarted == []


def test_without_worker_processes_nothing_starts(workers, monkeypatch):
    monkeypatch.setattr(ingest, "_worker_processes", lambda settings: 0)
    _warm_up({}).seen(_ok(), _articles(100))
    assert workers.prestarted == []



def _body(n: int, text: str) -> bytes:
    return rss([{"guid": f"g{i}", "title": text, "text": text, "published": WHEN} for i in range(n)]).encode()


RU_TEXT = ("Министры иностранных дел двух стран провели в среду переговоры в столице и договорились о том, "
           "что по итогам встречи будет создана рабочая группа по транспорту, а в следующем году пройдет саммит.")
EN_TEXT = ("The foreign ministers of the two countries held talks in the capital on Wednesday and agreed that "
           "a working group on transport would be set up, with a summit to follow next year.")


def test_a_new_feeds_bytes_start_the_load_before_its_parse_in_the_language_they_read_in(workers):
    warm = _warm_up({})
    warm.fetched(_ok().model_copy(update={"content": _body(12, RU_TEXT)}))
    assert workers.prestarted == []                         # about 12 items < 20
    warm.fetched(_ok(url="http://127.0.0.1:8000/en.xml").model_copy(update={"content": _body(9, EN_TEXT)}))
    assert workers.prestarted == [{"ru", "en"}]
    warm.seen(_ok(), _articles(50))                         # the parsed articles come later: no second start
    assert len(workers.prestarted) == 1


def test_the_estimate_and_the_parsed_articles_count_apart(workers):
    warm = _warm_up({})
    warm.fetched(_ok().model_copy(update={"content": _body(15, RU_TEXT)}))
    warm.seen(_ok(), _articles(15))                         # the same feed's articles: 15, not 30
    assert workers.prestarted == []


@pytest.mark.parametrize("content", [
    b"<rss><channel><title>x</title></channel></rss>",      # no item
    _body(40, "Πρωθυπουργός συναντήθηκε με τον πρόεδρο για συνομιλίες σχετικά με την ενέργεια."),  # no model
    b"\xff\xfe not a feed at all",
    None,
])
def test_bytes_that_promise_no_article_in_a_language_with_models_start_nothing(workers, content):
    _warm_up({}).fetched(_ok().model_copy(update={"content": content}))
    assert workers.prestarted == []


def test_a_known_feeds_bytes_under_the_same_etag_start_nothing(workers):
    _warm_up({URL: FeedState(feed_url=URL, etag='"v1"')}).fetched(
        _ok(etag='"v1"').model_copy(update={"content": _body(100, RU_TEXT)}))
    assert workers.prestarted == []


def test_the_feeds_task_hands_its_fetch_to_the_warm_up_before_the_parse(monkeypatch):
    from feeds.fetch import FetchLimits
    from flows import tasks
    from flows.steps import Attempt
    from schemas import Feed

    seen = []
    fetch = _ok().model_copy(update={"content": _body(3, RU_TEXT)})
    monkeypatch.setattr(tasks, "fetch_attempt", lambda *a, **k: Attempt(fetch))
    monkeypatch.setattr(tasks, "collect_feed", lambda feed, result, **k: seen.append("parsed") or "outcome")
    out = tasks.fetch_feed_task.fn(Feed(url=URL, name="f"), None, None, limits=FetchLimits(), page_limits=FetchLimits(),
                                   fetch_linked_pages=False, page_concurrency=1, on_fetched=seen.append)
    assert out == "outcome" and seen == [fetch, "parsed"]
