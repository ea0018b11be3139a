"""Hostile feed documents, built in code (entity bombs, XXE, huge, nested, broken encodings)."""
from __future__ import annotations

from xml.sax.saxutils import escape

HEAD = '<?xml version="1.0" encoding="utf-8"?>\n'


def billion_laughs(levels: int = 10) -> bytes:
    ents = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels))
    top = f"&lol{levels - 1};"
    return (HEAD + f"<!DOCTYPE rss [{ents}]>\n<rss version=\"2.0\" xmlns:yandex=\"http://news.yandex.ru\">"
            f"<channel><title>{top}</title><item><guid>bomb-1</guid><title>{top}</title>"
            f"<description>{top}</description><yandex:full-text><p>{top}</p></yandex:full-text></item>"
            "</channel></rss>").encode()


def quadratic_blowup(size: int = 100_000, refs: int = 20_000) -> bytes:
    return (HEAD + f'<!DOCTYPE rss [<!ENTITY a "{"A" * size}">]><rss version="2.0"><channel><title>t</title>'
            f"<item><guid>q-1</guid><title>{'&a;' * refs}</title></item></channel></rss>").encode()


def xxe(secret_path: str, listener_url: str, *, truncated: bool = False) -> bytes:
    """External entities and DTDs pointing at a secret file and at a loopback listener."""
    doc = (HEAD + f'<!DOCTYPE rss SYSTEM "{listener_url}/external.dtd" [\n'
           f'<!ENTITY file SYSTEM "file://{secret_path}">\n'
           f'<!ENTITY web SYSTEM "{listener_url}/entity.txt">\n'
           f'<!ENTITY % remote SYSTEM "{listener_url}/param.dtd"> %remote;\n'
           f']>\n<rss version="2.0" xmlns:yandex="http://news.yandex.ru" '
           f'xmlns:xi="http://www.w3.org/2001/XInclude"><channel><title>x &file; &web;</title>'
           f'<item><guid>xxe-1</guid><title>i &file;</title><description>d &web;</description>'
           f'<yandex:full-text><p>full &file; &web;</p><xi:include href="file://{secret_path}" parse="text"/>'
           f'</yandex:full-text></item>'
           f'<item><guid>xxe-2</guid><title>second</title><description>ok</description></item>')
    return (doc if truncated else doc + "</channel></rss>").encode()


def huge_feed(items: int, text: str = "Министр провел переговоры в Астане.") -> bytes:
    body = "".join(f"<item><guid>h-{i}</guid><title>item {i}</title><description>{escape(text)} {i}"
                   "</description></item>" for i in range(items))
    return (HEAD + f'<rss version="2.0"><channel><title>huge</title>{body}</channel></rss>').encode()


def huge_item(chars: int) -> bytes:
    text = ("Министр иностранных дел провел переговоры в Астане. " * (chars // 50 + 1))[:chars]
    return (HEAD + '<rss version="2.0" xmlns:yandex="http://news.yandex.ru"><channel><title>big</title>'
            f"<item><guid>big-1</guid><title>big</title><yandex:full-text>{escape(text)}</yandex:full-text>"
            "</item></channel></rss>").encode()


def nested_html(depth: int) -> bytes:
    html = "<div>" * depth + "Глубоко вложенный текст о переговорах." + "</div>" * depth
    return (HEAD + '<rss version="2.0"><channel><title>deep</title><item><guid>deep-1</guid><title>deep</title>'
            f"<description>{escape(html)}</description></item></channel></rss>").encode()


def broken_encodings() -> bytes:
    """UTF-8 declared; a cp1251 item, invalid bytes, control characters, a lone continuation byte."""
    good = "Переговоры в Душанбе".encode()
    cp1251 = "Саммит в Бишкеке".encode("cp1251")
    return (HEAD.encode() + b'<rss version="2.0"><channel><title>mixed</title>'
            b"<item><guid>m-1</guid><title>" + good + b"</title><description>" + good + b"</description></item>"
            b"<item><guid>m-2</guid><title>" + cp1251 + b"</title><description>\xff\xfe\x80 bad</description></item>"
            b"<item><guid>m-3</guid><title>ctl \x01\x02\x0b\x1b[0m</title><description>nul \x00 here</description></item>"
            b"</channel></rss>")
