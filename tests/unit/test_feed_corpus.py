"""Every file of the shared feed-robustness corpus, parsed from raw bytes (../shared/feeds).

The files' `Expect:` lines are read with `ast` (never evaluated) and the simple clauses
(`bozo`, `encoding == ...`, `entries[0]['field'] == ...`, `feed['title'] == ...`) become
assertions on our own ParsedFeed.
"""
from __future__ import annotations

import ast
import codecs
import re
from pathlib import Path

import pytest

from feeds.html import html_to_text, normalize_text
from feeds.parse import parse_feed
from schemas import ParsedFeed

CORPUS = (Path(__file__).parents[2] / ".." / "shared" / "feeds").resolve()
FILES = sorted(CORPUS.rglob("*.xml"))
BASE_URL = "http://127.0.0.1:8097/tests/"

# Cases where our documented rules differ from upstream feedparser on purpose.
# RFC 7303 instead of RFC 3023: text/xml without charset does not mean us-ascii.
RFC7303_CLEAN = {"encoding/bozo_http_i18n.xml", "illformed/http_high_bit_date.xml"}
# feedparser strips this DOCTYPE and the document is well-formed (its Expect says "not bozo").
NOT_BOZO_ILLFORMED = {"illformed/always_strip_doctype.xml"}
# "Unguessable characters": the expected text is one guess of a wrong declaration, not a spec.
UNGUESSABLE = {"encoding/bozo_linenoise.xml"}
# Content typed application/octet-stream is not article text: we drop it.
BINARY_CONTENT = {"wellformed/atom10/entry_content_base64.xml"}
# chardet names the superset of the expected legacy encoding.
SUPERSET = {"euc_kr": "cp949", "gb2312": "gb18030", "shift_jis": "cp932", "tis-620": "cp874"}


def rel(path: Path) -> str:
    return path.relative_to(CORPUS).as_posix()


def upstream(path: Path) -> str:
    """Path inside feedparser's tests/ folder (the document URL of the http_* cases)."""
    return rel(path).removeprefix("feedparser-tests/")


def leading_comment(data: bytes) -> str:
    """The file's first comment, decoded as the file's own BOM / UTF-16/32 layout suggests."""
    head = data[:4096]
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if head.startswith(bom):
            text = head.decode(enc, "ignore")
            break
    else:
        if head[:4] in (b"\x00\x00\x00<", b"<\x00\x00\x00"):
            text = head.decode("utf-32-be" if head[0] == 0 else "utf-32-le", "ignore")
        elif head[:2] in (b"\x00<", b"<\x00"):
            text = head.decode("utf-16-be" if head[0] == 0 else "utf-16-le", "ignore")
        else:
            text = head.decode("latin-1")
    match = re.search(r"<!--(.*?)-->", text, re.S)
    return match.group(1) if match else ""


def comment_field(data: bytes, name: str) -> str | None:
    match = re.search(rf"^\s*{name}:\s*(.+?)\s*$", leading_comment(data), re.M)
    return match.group(1) if match else None


def headers_for(path: Path, data: bytes) -> dict[str, str]:
    header = comment_field(data, "Header")
    if not header or ":" not in header:
        return {}
    key, value = header.split(":", 1)
    return {key.strip(): value.strip()}


def parse_file(path: Path) -> ParsedFeed:
    data = path.read_bytes()
    return parse_feed(data, feed_url=BASE_URL + upstream(path), headers=headers_for(path, data))


@pytest.mark.timeout(5)
@pytest.mark.parametrize("path", FILES, ids=rel)
def test_every_file_parses_without_crash_or_hang(path: Path) -> None:
    parsed = parse_file(path)
    for item in parsed.items:
        for text in (item.title, item.summary or "", item.full_text or ""):
            assert isinstance(text, str)
            assert "<script" not in text.lower()


def test_corpus_is_there() -> None:
    assert len(FILES) > 400, f"feed corpus not found or incomplete at {CORPUS}"


MUST_HAVE_ERROR = sorted(
    p for p in FILES
    if (rel(p).startswith("feedparser-tests/illformed/") and upstream(p) not in NOT_BOZO_ILLFORMED | RFC7303_CLEAN)
    or (rel(p).startswith("feedparser-tests/encoding/bozo_") and upstream(p) not in RFC7303_CLEAN)
    or rel(p).startswith("feedparser-tests/entities/")
    or rel(p) == "realistic/e-rss-truncated.xml"
)


@pytest.mark.parametrize("path", MUST_HAVE_ERROR, ids=rel)
def test_broken_documents_carry_an_error(path: Path) -> None:
    parsed = parse_file(path)
    assert parsed.error, f"{rel(path)} parsed as clean"
    assert len(parsed.error) > 10


@pytest.mark.parametrize("name", sorted(RFC7303_CLEAN | NOT_BOZO_ILLFORMED))
def test_documented_exceptions_are_clean(name: str) -> None:
    path = CORPUS / "feedparser-tests" / name
    assert parse_file(path).error is None


# ---- Expect: lines --------------------------------------------------------------------------

TEXT_FIELDS = {
    ("title",): "title", ("title_detail", "value"): "title",
    ("description",): "summary", ("summary",): "summary", ("summary_detail", "value"): "summary",
    ("content", 0, "value"): "full_text",
    ("link",): "link", ("id",): "guid", ("guid",): "guid",
}
FEED_FIELDS = {("title",): "title", ("title_detail", "value"): "title"}


def _path(node: ast.expr) -> tuple[str, tuple[object, ...]] | None:
    """entries[0]['a'][0]['b'] -> ('entry', ('a', 0, 'b')); feed['x'] -> ('feed', ('x',))."""
    keys: list[object] = []
    while True:
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            keys.append(node.slice.value)
            node = node.value
        elif isinstance(node, ast.Attribute):
            keys.append(node.attr)
            node = node.value
        else:
            break
    keys.reverse()
    if isinstance(node, ast.Name) and node.id == "entries" and keys[:1] == [0]:
        return "entry", tuple(keys[1:])
    if isinstance(node, ast.Name) and node.id == "feed":
        return "feed", tuple(keys)
    if isinstance(node, ast.Name) and not keys:
        return node.id, ()
    return None


def expect_clauses(expect: str) -> list[ast.expr]:
    try:
        tree = ast.parse(expect, mode="eval").body
    except SyntaxError:
        return []
    return list(tree.values) if isinstance(tree, ast.BoolOp) and isinstance(tree.op, ast.And) else [tree]


def _same_text(ours: str | None, expected: str) -> bool:
    ours = ours or ""
    return ours in {html_to_text(expected), normalize_text(expected), expected.strip()}


def check_expect(path: Path, parsed: ParsedFeed, expect: str) -> int:
    """Assert the clauses we can map; return how many were checked."""
    checked = 0
    for clause in expect_clauses(expect):
        if isinstance(clause, ast.Name) and clause.id == "bozo":
            if upstream(path) not in RFC7303_CLEAN:
                assert parsed.error, "expected an error"
            checked += 1
        elif (isinstance(clause, ast.UnaryOp) and isinstance(clause.op, ast.Not)
              and isinstance(clause.operand, ast.Name) and clause.operand.id == "bozo"):
            if not rel(path).startswith("feedparser-tests/entities/"):  # flagged by the strict parse
                assert parsed.error is None, f"unexpected error: {parsed.error}"
            checked += 1
        elif (isinstance(clause, ast.Compare) and len(clause.ops) == 1 and isinstance(clause.ops[0], ast.Eq)
              and isinstance(clause.comparators[0], ast.Constant) and isinstance(clause.comparators[0].value, str)):
            expected = clause.comparators[0].value
            where = _path(clause.left)
            if where is None:
                continue
            kind, keys = where
            if kind == "encoding" and not expected.lower().startswith("us-ascii"):
                name = codecs.lookup(expected).name
                assert codecs.lookup(parsed.encoding or "").name in {name, SUPERSET.get(name)}
                checked += 1
            elif kind == "version":
                assert parsed.version == expected
                checked += 1
            elif (kind == "entry" and keys in TEXT_FIELDS and parsed.items
                  and upstream(path) not in UNGUESSABLE | BINARY_CONTENT):
                field = TEXT_FIELDS[keys]
                ours = getattr(parsed.items[0], field)
                if field == "summary" and ours is None:  # feedparser answers "description" with the content
                    ours = parsed.items[0].full_text
                if field in ("link", "guid"):
                    if expected.startswith(("http://", "https://")) or field == "guid":
                        assert ours == expected
                        checked += 1
                else:
                    assert _same_text(ours, expected), f"{field}: {ours!r} vs expected {expected!r}"
                    checked += 1
            elif kind == "feed" and keys in FEED_FIELDS:
                assert _same_text(parsed.title, expected), f"feed title {parsed.title!r} vs {expected!r}"
                checked += 1
    return checked


WITH_EXPECT = [p for p in FILES if rel(p).startswith("feedparser-tests/")]


@pytest.mark.timeout(5)
@pytest.mark.parametrize("path", WITH_EXPECT, ids=rel)
def test_expect_line(path: Path) -> None:
    data = path.read_bytes()
    expect = comment_field(data, "Expect")
    if not expect:
        pytest.skip("no Expect line")
    check_expect(path, parse_file(path), expect)


def test_most_expect_lines_are_checked() -> None:
    """Guard against the mapping above silently checking nothing."""
    total = 0
    for path in WITH_EXPECT:
        expect = comment_field(path.read_bytes(), "Expect")
        if expect:
            total += check_expect(path, parse_file(path), expect)
    assert total >= 500, total
