"""feeds.decode: which encoding a feed is read in, what a few bad bytes cost, references XML cannot hold.

Examples for each rule, then hypothesis properties: a few bad bytes anywhere in a UTF-8 feed never
change the encoding and cost only the characters they hit; any reference the repair leaves is one
XML accepts.
"""
from __future__ import annotations

import re
from xml.parsers import expat

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feeds.decode import decode_document, error_limit, repair_character_references, tolerable
from feeds.parse import parse_feed

HEADERS = {"content-type": "application/xml"}
RU = ("Министр иностранных дел провёл переговоры с делегацией в Астане. "
      "Стороны договорились создать рабочую группу по водным ресурсам. ")


def rss(texts: list[str], *, encoding: str = "utf-8") -> str:
    items = "".join(f"<item><guid>g{i}</guid><title>Новость {i}</title><description>{t}</description></item>"
                    for i, t in enumerate(texts))
    return (f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel><title>Лента</title>'
            f"{items}</channel></rss>")


def test_one_bad_byte_in_a_utf8_russian_feed_keeps_utf8() -> None:
    data = rss([RU, RU, RU]).encode().replace("Стороны".encode(), "Сто".encode() + b"\xff" + "роны".encode(), 1)
    bad_at = data.index(b"\xff")
    decoded = decode_document(data, declared="utf-8", feedparser_headers=HEADERS)
    assert decoded.encoding == "utf-8" and decoded.bozo is None
    assert decoded.problems == ("1 invalid byte sequence(s) in the declared encoding utf-8 replaced with U+FFFD "
                                f"(first at byte {bad_at})",)
    text = decoded.data.decode("utf-8")
    assert text.count("\ufffd") == 1 and text.count("Министр") == 3


@pytest.mark.parametrize("codec", ["cp1251", "koi8-r"])
def test_a_legacy_feed_declared_utf8_is_still_detected(codec: str) -> None:
    data = rss([RU] * 3).encode(codec)
    decoded = decode_document(data, declared="utf-8", feedparser_headers={"content-type": "application/xml; charset=utf-8"})
    assert decoded.bozo is not None and decoded.encoding != "utf-8"  # the declaration was wrong: detected


def test_an_undeclared_feed_that_is_overwhelmingly_utf8_is_utf8() -> None:
    data = rss([RU] * 2).encode().replace(b'<?xml version="1.0" encoding="utf-8"?>', b"")
    data = data.replace("Астане".encode(), "Астане".encode() + b"\xc0\xff", 1)
    decoded = decode_document(data, declared=None, feedparser_headers=HEADERS)
    assert decoded.encoding == "utf-8" and decoded.bozo is None
    assert "no encoding declared" in decoded.problems[0]
    assert decoded.data.decode().count("Министр") == 2


def test_a_latin1_feed_mislabelled_utf8_is_not_read_as_utf8() -> None:
    """A few errors but no valid multi-byte character: the declaration is what is wrong."""
    data = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Gare</title><item>'
            "<guid>g</guid><description>Café crème à la gare, déjà vu.</description></item></channel></rss>"
            ).encode("latin-1")
    decoded = decode_document(data, declared="utf-8", feedparser_headers=HEADERS)
    assert decoded.bozo is not None
    assert "Café crème" in decoded.data.decode("utf-8")


def test_a_declared_legacy_encoding_with_one_undefined_byte_keeps_it() -> None:
    data = rss([RU] * 3, encoding="windows-1251").encode("cp1251")
    data = data.replace("Стороны".encode("cp1251"), b"\x98" + "Стороны".encode("cp1251"), 1)  # 0x98: undefined
    decoded = decode_document(data, declared="windows-1251", feedparser_headers=HEADERS)
    assert decoded.encoding == "windows-1251" and decoded.bozo is None
    assert decoded.data.decode().count("Стороны") == 3 and decoded.data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")


def test_cesu8_pairs_are_joined_and_lone_surrogates_replaced() -> None:
    data = rss(["SMILE and LONE end"]).encode().replace(b"SMILE", b"\xed\xa0\xbd\xed\xb8\x80").replace(
        b"LONE", b"\xed\xa0\x80")
    decoded = decode_document(data, declared="utf-8", feedparser_headers=HEADERS)
    text = decoded.data.decode("utf-8")
    assert "\U0001f600 and \ufffd end" in text
    assert any("CESU-8" in p for p in decoded.problems) and any("lone" in p for p in decoded.problems)


def test_utf16_without_bom_is_left_to_sniffing() -> None:
    data = rss(["text"], encoding="utf-16").encode("utf-16-be")
    decoded = decode_document(data, declared=None, feedparser_headers=HEADERS)
    assert decoded.encoding == "utf-16be" and "<title>Лента</title>" in decoded.data.decode()


@pytest.mark.parametrize("declared", ["base64", "zlib", "rot13", "undefined", "no-such-codec"])
def test_a_declared_codec_that_is_no_text_encoding_is_not_used(declared: str) -> None:
    data = rss([RU]).encode()
    decoded = decode_document(data, declared=declared, feedparser_headers=HEADERS)
    assert decoded.encoding is not None and "Министр" in decoded.data.decode()


@pytest.mark.parametrize(("reference", "replaced"), [
    (b"&#xD800;", True), (b"&#xdfff;", True), (b"&#55296;", True), (b"&#x110000;", True),
    (b"&#1;", True), (b"&#x0;", True), (b"&#xFFFE;", True), (b"&#65535;", True),
    (b"&#" + b"9" * 5000 + b";", True), (b"&#x" + b"0" * 5000 + b"41;", False),
    (b"&amp;#xD800;", True), (b"&#x9;", False), (b"&#10;", False), (b"&#xD7FF;", False),
    (b"&#xE000;", False), (b"&#x10FFFF;", False), (b"&#128512;", False), (b"&#146;", False),
    (b"&amp;", False), (b"&#xZZ;", False),
])
def test_references_xml_cannot_hold_point_at_u_fffd(reference: bytes, replaced: bool) -> None:
    fixed, count = repair_character_references(b"<a>" + reference + b"</a>")
    assert count == int(replaced)
    if replaced:
        assert fixed in (b"<a>&#xFFFD;</a>", b"<a>&amp;#xFFFD;</a>")
    else:
        assert fixed == b"<a>" + reference + b"</a>"


def test_tolerance_is_a_few_errors_backed_by_evidence() -> None:
    assert error_limit(100) == 8 and error_limit(100_000) == 1000
    assert tolerable(1, 2, 100) and not tolerable(1, 1, 100)
    assert not tolerable(9, 10_000, 100) and tolerable(9, 10_000, 1000)


# ---- properties -----------------------------------------------------------------------------

TEXTS = st.lists(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"),
                                                exclude_characters="\ufffd"), min_size=1,
                         max_size=40), min_size=1, max_size=6)


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, st.lists(st.tuples(st.floats(0, 1), st.sampled_from([b"\xff", b"\xc0", b"\xed\xa0\x80", b"\xe2\x82"])),
                      max_size=3))
def test_a_few_bad_bytes_never_change_the_encoding_of_a_russian_utf8_feed(
        texts: list[str], bad: list[tuple[float, bytes]]) -> None:
    clean = rss([RU + _xml_escape(t) for t in texts]).encode()
    data = clean
    body_start = data.index(b"<item>")
    for where, junk in sorted(bad, reverse=True):
        at = body_start + int(where * (len(clean) - body_start - 1))
        while at < len(data) and (data[at] & 0xC0) == 0x80:  # between characters, not inside one
            at += 1
        data = data[:at] + junk + data[at:]
    decoded = decode_document(data, declared="utf-8", feedparser_headers=HEADERS)
    assert decoded.encoding == "utf-8" and decoded.bozo is None
    text = decoded.data.decode("utf-8")
    # each bad sequence became U+FFFD where it stood; every other character is as it was
    expected = decode_document(clean, declared="utf-8", feedparser_headers=HEADERS).data.decode("utf-8")
    assert text.replace("\ufffd", "") == expected
    assert text.count("\ufffd") == len(bad)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(
    st.integers(0, 0x10FFFF + 10).map(lambda c: f"&#{c};"),
    st.integers(0, 0x10FFFF + 10).map(lambda c: f"&#x{c:X};"),
    st.integers(0xD800, 0xDFFF).map(lambda c: f"&amp;#x{c:x};"),
    st.text(alphabet="abc &;#x0123456789", max_size=8).map(_xml_escape),
), max_size=12).map("".join))
def test_after_repair_every_reference_is_one_xml_accepts(body: str) -> None:
    fixed, _ = repair_character_references(f"<a>{body}</a>".encode())
    parser = expat.ParserCreate()
    parser.Parse(fixed, True)  # raises ExpatError if any reference is still illegal
    # the parsed feed keeps every item and never raises
    doc = rss(["x", body, "y"]).encode()
    parsed = parse_feed(doc, feed_url="http://feeds.example/f.xml")
    assert [(i.guid or "").rsplit("/", 1)[-1] for i in parsed.items] == ["g0", "g1", "g2"]
    assert not re.search("[\ud800-\udfff]", parsed.model_dump_json())
