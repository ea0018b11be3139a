"""SSRF: article links to private, loopback, link-local and metadata addresses are refused by default.

Real sockets on loopback only: a listener counts connections and must see none when the guard
refuses. Addresses outside loopback (10/8, 169.254.169.254) are checked with `AddressGuard`
directly, so no packet ever leaves the machine even if the guard were broken.
"""
from __future__ import annotations

import ipaddress

import pytest

from feeds.errors import PageError
from feeds.fetch import FetchLimits, fetch_feed
from feeds.pages import fetch_page_text, fetch_pages
from feeds.security import (
    AddressGuard,
    AddressRefused,
    guarded_client,
    parse_networks,
    trusted_origin,
    why_forbidden,
)
from schemas import FetchStatus
from tests.integration.feed_server import Reply, running_server
from tests.reliability.netkit import ipv6_loopback, listening
from tests.sitekit import rss

pytestmark = [pytest.mark.network, pytest.mark.timeout(60)]

SHORT = FetchLimits(connect_timeout_s=2, read_timeout_s=2, total_timeout_s=5)


@pytest.mark.parametrize("address, kind", [
    ("127.0.0.1", "loopback"), ("127.255.0.9", "loopback"), ("::1", "loopback"),
    ("10.1.2.3", "private"), ("172.16.0.1", "private"), ("192.168.1.1", "private"),
    ("169.254.169.254", "cloud metadata"), ("169.254.1.1", "link-local"), ("fe80::1", "link-local"),
    ("fc00::1", "private"), ("fd12:3456::1", "private"), ("0.0.0.0", "unspecified"), ("::", "unspecified"),
    ("::ffff:127.0.0.1", "IPv4-mapped loopback"), ("::ffff:169.254.169.254", "IPv4-mapped cloud metadata"),
    ("100.64.0.1", "non-global"), ("224.0.0.1", "multicast"), ("240.0.0.1", "reserved"),
])
def test_non_public_addresses_are_classified(address: str, kind: str) -> None:
    assert why_forbidden(ipaddress.ip_address(address)) == kind


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700::1111", "8.8.8.8"])
def test_public_addresses_pass(address: str) -> None:
    assert why_forbidden(ipaddress.ip_address(address)) is None


def test_guard_checks_every_resolved_address_without_connecting() -> None:
    answers = {"metadata.test": ["169.254.169.254"], "intranet.test": ["10.0.0.7"],
               "mixed.test": ["93.184.216.34", "127.0.0.1"], "public.test": ["93.184.216.34"]}
    guard = AddressGuard(resolver=lambda host, _port: answers[host])
    for host in ("metadata.test", "intranet.test", "mixed.test"):
        with pytest.raises(AddressRefused, match="EVENTWIRE_ALLOW_NETWORKS"):
            guard.addresses(host, 80)
    assert guard.addresses("public.test", 80) == ["93.184.216.34"]
    allowing = AddressGuard(parse_networks("10.0.0.0/8, 169.254.169.254/32"), resolver=guard.resolver)
    assert allowing.addresses("intranet.test", 80) == ["10.0.0.7"]
    assert allowing.addresses("metadata.test", 80) == ["169.254.169.254"]
    with pytest.raises(ValueError, match="not an IP network"):
        parse_networks("10.0.0.0/8,intranet")


def test_only_address_literals_of_configured_feeds_are_trusted() -> None:
    assert trusted_origin("http://127.0.0.1:8765/feed.xml") == ("127.0.0.1", 8765)
    assert trusted_origin("https://[::1]/f") == ("::1", 443)
    assert trusted_origin("http://localhost/f") == ("localhost", 80)
    assert trusted_origin("http://feeds.example.org/f") is None  # a name is checked like any link
    assert trusted_origin("file:///etc/passwd") is None


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost"])
def test_loopback_article_links_are_refused_and_nothing_connects(host: str) -> None:
    with listening("127.0.0.1") as target:
        url = f"http://{host}:{target.port}/admin"
        got = fetch_pages([url], limits=SHORT)[url]
        assert isinstance(got, PageError) and not got.transient
        assert "refusing to connect" in str(got) and "loopback" in str(got)
        with pytest.raises(PageError, match="loopback"):
            fetch_page_text(url, limits=SHORT)
        assert target.connections == 0


@pytest.mark.skipif(not ipv6_loopback(), reason="no IPv6 loopback on this machine")
def test_ipv6_loopback_link_is_refused() -> None:
    with listening("::1") as target:
        url = f"{target.url}/admin"
        assert isinstance(fetch_pages([url], limits=SHORT)[url], PageError)
        assert target.connections == 0


def test_a_name_resolving_to_loopback_is_refused_and_the_checked_address_is_the_one_used() -> None:
    """DNS rebinding: the guard connects to the address it checked, never re-resolves the name."""
    with listening("127.0.0.1") as target:
        calls: list[str] = []

        def rebinding(host: str, _port: int) -> list[str]:
            calls.append(host)
            return ["127.0.0.1"]

        with guarded_client(AddressGuard(resolver=rebinding)) as client:
            with pytest.raises(PageError, match="loopback"):
                fetch_page_text(f"http://rebind.test:{target.port}/", client=client, limits=SHORT)
        assert target.connections == 0 and calls == ["rebind.test"]
        # allowed by the operator: the name (which the system cannot resolve) reaches the checked address
        allowed = AddressGuard(parse_networks("127.0.0.0/8"), resolver=rebinding)
        with guarded_client(allowed) as client:
            text = fetch_page_text(f"http://rebind.test:{target.port}/", client=client, limits=SHORT)
        assert text and "Secret internal page" in text and target.connections == 1


def test_allow_list_setting_lets_an_operator_reach_private_pages() -> None:
    with listening("127.0.0.1") as target:
        url = f"{target.url}/intranet"
        got = fetch_pages([url], limits=FetchLimits(allowed_networks=("127.0.0.0/8",)))[url]
        assert isinstance(got, str) and "Secret internal page" in got
        assert target.connections == 1


@pytest.mark.parametrize("url", ["file:///etc/passwd", "gopher://127.0.0.1:70/", "ftp://127.0.0.1/x",
                                 "javascript:alert(1)", "data:text/html,hi", "dict://127.0.0.1:11211/"])
def test_non_http_schemes_are_refused(url: str) -> None:
    got = fetch_pages([url])[url]
    assert isinstance(got, PageError) and "non-http" in str(got)


def test_feed_origin_is_trusted_but_not_other_ports_or_redirects_off_it() -> None:
    with running_server() as feed_server, listening("127.0.0.1") as other:
        feed_server.route("/page.html", Reply(200, {"Content-Type": "text/html"},
                                             b"<html><body><article><p>" + b"Same origin page text. " * 20
                                             + b"</p></article></body></html>"))
        feed_server.route("/feed.xml", Reply(200, {"Content-Type": "application/rss+xml"},
                                             rss([{"guid": "1", "title": "t"}]).encode()))
        feed_server.route("/hop.xml", Reply(302, {"Location": f"{other.url}/feed.xml"}))
        feed_url = feed_server.url + "/feed.xml"
        assert fetch_feed(feed_url, limits=SHORT).status is FetchStatus.OK  # operator wrote 127.0.0.1
        pages = fetch_pages([feed_server.url + "/page.html", other.url + "/x"], trusted_url=feed_url, limits=SHORT)
        assert "Same origin page text" in pages[feed_server.url + "/page.html"]
        assert isinstance(pages[other.url + "/x"], PageError)
        hop = fetch_feed(feed_server.url + "/hop.xml", limits=SHORT)
        assert hop.status is FetchStatus.FAILED and not hop.transient and "loopback" in (hop.error or "")
        assert other.connections == 0
