"""`Reject.of`: the one constructor every layer uses for a reject."""
from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from schemas import Reject


def test_payload_is_kept_as_json_text_and_the_id_is_stable():
    a = Reject.of(stage="validate", record_type="Meeting", error="location: too long",
                  payload={"name": "саммит", "when": datetime(2024, 5, 1, tzinfo=UTC)}, article_id="a1")
    b = Reject.of(stage="validate", record_type="Meeting", error="location: too long",
                  payload={"when": datetime(2024, 5, 1, tzinfo=UTC), "name": "саммит"}, article_id="a1")
    assert a.reject_id == b.reject_id
    assert '"name": "саммит"' in a.payload          # not escaped: readable in SQL
    assert a.rejected_at.tzinfo is not None


def test_the_id_tells_apart_place_input_and_error():
    base = dict(stage="parse", record_type="FeedItem", error="no link", payload={"item": "x"},
                feed_url="https://a.example/feed")
    ids = {Reject.of(**base).reject_id,
           Reject.of(**{**base, "feed_url": "https://b.example/feed"}).reject_id,
           Reject.of(**{**base, "payload": {"item": "y"}}).reject_id,
           Reject.of(**{**base, "error": "no title"}).reject_id,
           Reject.of(**{**base, "stage": "load"}).reject_id}
    assert len(ids) == 5


def test_a_string_payload_is_kept_as_is_and_an_explicit_id_wins():
    r = Reject.of(stage="extract", record_type="Article", error="gave up", payload='{"n": 1}',
                  reject_id="fixed", now=datetime(2025, 1, 2, tzinfo=UTC))
    assert (r.reject_id, r.payload, r.rejected_at) == ("fixed", '{"n": 1}', datetime(2025, 1, 2, tzinfo=UTC))


@given(st.text(max_size=5000))
def test_any_error_text_gives_a_valid_reject(error):
    r = Reject.of(stage="validate", record_type="Mechanism", error=error, payload={})
    assert 1 <= len(r.error) <= 2000
