"""Linked pages for the page-cap tests: large article pages, and a feed whose items link to them."""
from __future__ import annotations

from tests.sitekit import rss

HTML = {"Content-Type": "text/html; charset=utf-8"}
RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}


def big_page(size: int, *, seed: int = 0) -> bytes:
    """An article page of about `size` bytes: nested paragraphs, links and lists (costly for trafilatura,
    which spends ~30 s and ~300 MB on 4.8 MB of it), with some inline script and style."""
    head = ("<!doctype html><html><head><title>Big page</title><style>p{margin:0}</style>"
            "<script>var tracking = {'id': 1};</script></head><body><nav><a href='/'>Home</a></nav>"
            "<article><h1>Переговоры министров</h1>")
    tail = "</article><footer>footer</footer></body></html>"
    parts, n, i = [head], len(head.encode()) + len(tail.encode()), 0
    while n < size:
        part = (f"<div><p>Абзац {seed}-{i} о встрече министров и саммите в Душанбе. "
                f"<a href='/x/{i}'>ссылка</a></p><ul><li>пункт {i}</li></ul></div>\n")
        parts.append(part)
        n += len(part.encode())
        i += 1
    parts.append(tail)
    return "".join(parts).encode()


def small_page(i: int) -> bytes:
    return (f"<html><body><article><p>Страница {i}: министр иностранных дел провёл переговоры в Астане "
            f"о торговле и безопасности, стороны подписали соглашение номер {i}.</p></article></body></html>"
            ).encode()


def feed_linking(base: str, paths: list[str], *, guid_prefix: str = "p") -> bytes:
    """RSS whose items carry no full text, each linking to base + path (so each needs its page)."""
    return rss([{"guid": f"{guid_prefix}-{i}", "title": f"Item {i}", "link": base + path}
                for i, path in enumerate(paths)]).encode()
