"""trim_html: what main-text extraction is handed (no scripts or styles, at most N bytes, in linear time)."""
from __future__ import annotations

import time

import pytest

from feeds.pages import PageBudget, trim_html


@pytest.mark.parametrize(("html", "expected"), [
    (b"<p>a</p><script>var x = '<p>no</p>';</script><p>b</p>", b"<p>a</p><p>b</p>"),
    (b"<p>a</p><SCRIPT type='x'>1</Script ><p>b</p>", b"<p>a</p><p>b</p>"),
    (b"<style>p{}</style><p>a</p><!-- <p>gone</p> --><p>b</p>", b"<p>a</p><p>b</p>"),
    (b"<p>a</p><svg><path d='M0'/></svg><noscript>n</noscript><template>t</template>", b"<p>a</p>"),
    (b"<p>a</p><script>never closed <p>b</p>", b"<p>a</p>"),
    (b"<p>a</p><!-- never closed <p>b</p>", b"<p>a</p>"),
    (b"<p>scripted</p><scripts>kept</scripts>", b"<p>scripted</p><scripts>kept</scripts>"),
])
def test_dropped_elements(html: bytes, expected: bytes) -> None:
    assert trim_html(html, 1000) == expected


def test_cut_after_the_last_complete_tag() -> None:
    html = b"<p>" + b"x" * 50 + b"</p><p>" + b"y" * 50 + b"</p>"
    assert trim_html(html, 64) == b"<p>" + b"x" * 50 + b"</p><p>"  # y* cut mid-text: dropped
    assert trim_html(html, 10_000) == html
    assert len(trim_html(b"<p>" + b"z" * 5000, 100)) <= 100


def test_linear_on_hostile_markup() -> None:
    """Thousands of unclosed openers: one forward scan, not a search from each of them."""
    for hostile in (b"<script" * 500_000, b"<!--" * 500_000, b"<p><script>a</script>" * 200_000):
        started = time.monotonic()
        trim_html(hostile, 500_000)
        assert time.monotonic() - started < 5


def test_page_budget_grants_at_most_its_pages() -> None:
    budget = PageBudget(5)
    assert budget.take(3) == 3 and budget.take(3) == 2 and budget.take(1) == 0 and budget.left == 0
