"""`eventwire report` on a small real warehouse: one self-contained HTML file (scripts inlined, nothing
fetched), one chart per section, every report row linked to its article with its sentence, the
--since/--until/--lang filters, an empty warehouse, and the CLI."""
from __future__ import annotations

import ast
import json
import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from flows.cli import main
from flows.resolution import resolve_warehouse
from reports.data import load_report, mechanisms
from reports.html import NO_MEETINGS, write_report
from schemas import (
    Article,
    Extraction,
    Institution,
    InstitutionMention,
    Mechanism,
    Meeting,
    Participant,
    content_hash,
    stable_id,
)
from tests.reliability.test_sql_safety import IDENTIFIERS, SQL_WORDS, _sql_text
from warehouse import connect, load_batch, open_warehouse

ROOT = Path(__file__).resolve().parents[2]
VERSION = "test-report-1"
CHARTS = {"chart-weekly", "chart-institutions", "chart-network", "chart-map", "chart-mechanisms"}

UN = Institution(institution_id="un", name="United Nations", acronym="UN", kind="international", language="en",
                 source="gazetteer")
SCO = Institution(institution_id="sco", name="Шанхайская организация сотрудничества", acronym="ШОС",
                  kind="international", language="ru", source="gazetteer")

# (article id, language, published, url, title, body); the records below point into these bodies
ARTICLES = {
    "en-1": ("en", datetime(2026, 3, 2, 9, tzinfo=UTC), "https://en.example.test/news/summit-announced",
             "Presidents to meet in Astana",
             "The presidents of Kazakhstan and Kyrgyzstan will hold a summit in Astana on 10 March. "
             "Kazakhstan proposed a joint water commission for the Syr Darya basin. The United Nations "
             "welcomed the plan."),
    "ru-1": ("ru", datetime(2026, 3, 10, 18, tzinfo=UTC), "https://ru.example.test/news/sammit",
             "Саммит в Астане",
             "В Астане 10 марта прошел саммит президентов Казахстана и Кыргызстана. Стороны договорились "
             "создать совместную водную комиссию по бассейну Сырдарьи."),
    "en-2": ("en", datetime(2026, 3, 11, 8, tzinfo=UTC), "https://en.example.test/news/call",
             "A call with Mongolia",
             "The president of Kazakhstan held a phone call with the president of Mongolia on 11 March."),
    "ru-2": ("ru", datetime(2026, 3, 20, 7, tzinfo=UTC), "https://ru.example.test/news/sco?id=2&lang=ru",
             "Министры ШОС встретятся в Бишкеке",
             "Заседание Совета министров иностранных дел ШОС пройдет в Бишкеке 15 апреля. Глава МИД "
             "Киргизии Жээнбек Кулубаев предложил учредить региональный центр по борьбе с наркотиками."),
    "en-3": ("en", datetime(2026, 3, 25, 12, tzinfo=UTC), "https://en.example.test/news/tashkent",
             "Talks <script>alert(1)</script> & “water”",
             "Ministers of Uzbekistan and Tajikistan held <b>water</b> talks in Tashkent on 24 March."),
}


def _span(aid: str, text: str) -> tuple[int, int]:
    body = ARTICLES[aid][4]
    start = body.index(text)
    return start, start + len(text)


def _sentence(aid: str, text: str) -> str:
    body = ARTICLES[aid][4]
    start = body.index(text)
    left = body.rfind(". ", 0, start)
    right = body.find(". ", start)
    return body[left + 2 if left >= 0 else 0:right + 1 if right >= 0 else len(body)]


def _meeting(aid: str, mention: str, *, kind: str, status: str, day: date | None, location: str | None,
             participants: tuple[tuple[str, str], ...]) -> Meeting:
    start, end = _span(aid, mention)
    return Meeting(article_id=aid, meeting_id=stable_id(aid, "meeting", mention), kind=kind, status=status,
                   name=mention, start_date=day, date_precision="day" if day else None, location=location,
                   evidence=_sentence(aid, mention), confidence=0.9, char_start=start, char_end=end,
                   rule_id="test", extractor_version=VERSION,
                   participants=tuple(Participant(name=n, participant_type=t) for n, t in participants))


def _mechanism(aid: str, mention: str, *, status: str, proposer: str | None) -> Mechanism:
    start, end = _span(aid, mention)
    return Mechanism(article_id=aid, mechanism_id=stable_id(aid, "mechanism", mention), description=mention,
                     status=status, proposer=proposer, evidence=_sentence(aid, mention), confidence=0.8,
                     char_start=start, char_end=end, rule_id="test", extractor_version=VERSION)


def _mention(aid: str, institution: Institution, surface: str) -> InstitutionMention:
    start, end = _span(aid, surface)
    return InstitutionMention(article_id=aid, institution_id=institution.institution_id, surface=surface,
                              char_start=start, char_end=end, evidence=_sentence(aid, surface), rule_id="test",
                              extractor_version=VERSION)


RECORDS = {
    "en-1": dict(
        meetings=[_meeting("en-1", "a summit in Astana", kind="summit", status="planned", day=date(2026, 3, 10),
                           location="Astana", participants=(("Kazakhstan", "country"), ("Kyrgyzstan", "country")))],
        mechanisms=[_mechanism("en-1", "a joint water commission for the Syr Darya basin", status="proposed",
                               proposer="Kazakhstan")],
        institutions=[UN], mentions=[_mention("en-1", UN, "United Nations")]),
    "ru-1": dict(
        meetings=[_meeting("ru-1", "саммит", kind="summit", status="past", day=date(2026, 3, 10), location="Астана",
                           participants=(("Казахстан", "country"), ("Кыргызстан", "country")))],
        mechanisms=[_mechanism("ru-1", "совместную водную комиссию по бассейну Сырдарьи", status="agreed",
                               proposer=None)]),
    "en-2": dict(
        meetings=[_meeting("en-2", "a phone call", kind="call", status="past", day=date(2026, 3, 11), location=None,
                           participants=(("Kazakhstan", "country"), ("Mongolia", "country")))]),
    "ru-2": dict(
        meetings=[_meeting("ru-2", "Заседание Совета министров иностранных дел ШОС", kind="session",
                           status="planned", day=date(2026, 4, 15), location="Бишкек",
                           participants=(("ШОС", "institution"), ("Жээнбек Кулубаев", "person"),
                                         ("Киргизия", "country")))],
        mechanisms=[_mechanism("ru-2", "региональный центр по борьбе с наркотиками", status="proposed",
                               proposer="Жээнбек Кулубаев")],
        institutions=[SCO], mentions=[_mention("ru-2", SCO, "ШОС")]),
    "en-3": dict(
        meetings=[_meeting("en-3", "<b>water</b> talks", kind="talks", status="past", day=date(2026, 3, 24),
                           location="Tashkent", participants=(("Uzbekistan", "country"), ("Tajikistan", "country")))]),
}


def build_warehouse(path: Path, articles: list[str] | None = None) -> Path:
    """A warehouse of the articles above (all by default), loaded and resolved into events."""
    con = open_warehouse(path)
    try:
        batch, extractions = [], []
        for aid in articles if articles is not None else list(ARTICLES):
            lang, published, url, title, body = ARTICLES[aid]
            batch.append(Article(article_id=aid, feed_url=f"https://{lang}.example.test/feed.xml", url=url,
                                 title=title, language=lang, published_at=published, body=body,
                                 content_hash=content_hash(body)))
            records = RECORDS[aid]
            extractions.append(Extraction(
                article_id=aid, extractor_version=VERSION, institutions=tuple(records.get("institutions", ())),
                mentions=tuple(records.get("mentions", ())), meetings=tuple(records.get("meetings", ())),
                mechanisms=tuple(records.get("mechanisms", ()))))
        load_batch(con, run_id=None, articles=batch, extractions=extractions)
        resolve_warehouse(con)
    finally:
        con.close()
    return path


class _Page(HTMLParser):
    """What the tests read from a report: script tags, chart boxes, links, and the reports table's rows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[dict[str, str | None]] = []
        self.links: list[dict[str, str | None]] = []
        self.charts: list[str] = []
        self.rows: list[dict] = []                     # rows of #reports-table: hrefs, text, event id
        self.specs_text = ""
        self._in_table = self._in_specs = False
        self._row: dict | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script":
            self.scripts.append(a)
            self._in_specs = a.get("id") == "ew-specs"
        elif tag == "link":
            self.links.append(a)
        elif tag == "div" and "chart" in (a.get("class") or "").split():
            self.charts.append(a["id"])
        elif tag == "table" and a.get("id") == "reports-table":
            self._in_table = True
        elif tag == "tr" and self._in_table and "data-event" in a:
            self._row = {"event": a["data-event"], "hrefs": [], "text": ""}
        elif tag == "a" and self._row is not None:
            self._row["hrefs"].append(a.get("href"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._in_table = False
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        elif tag == "script":
            self._in_specs = False

    def handle_data(self, data: str) -> None:
        if self._row is not None:
            self._row["text"] += data
        if self._in_specs:
            self.specs_text += data


def parse(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    return page


def _norm(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("report") / "w.duckdb")


@pytest.fixture(scope="module")
def report(warehouse: Path, tmp_path_factory) -> tuple[Path, str]:
    con = connect(warehouse, read_only=True)
    try:
        out = write_report(con, tmp_path_factory.mktemp("out") / "sub" / "report.html")
    finally:
        con.close()
    return out, out.read_text(encoding="utf-8")


def _report_rows(warehouse: Path, since=None, until=None, language=None) -> list[tuple]:
    """(event_id, article_url, evidence) of every report the filters keep, straight from the views."""
    con = connect(warehouse, read_only=True)
    try:
        rows = con.execute("SELECT event_id, article_url, evidence, CAST(article_published_at AS DATE), language "
                           "FROM v_event_reports").fetchall()
    finally:
        con.close()
    return sorted((e, u, ev) for e, u, ev, day, lang in rows
                  if (since is None or day >= since) and (until is None or day <= until)
                  and (language is None or lang == language))


def test_the_report_is_one_self_contained_file(report):
    path, text = report
    assert path.exists() and path.suffix == ".html" and not path.with_name(path.name + ".part").exists()
    page = parse(text)
    assert page.scripts and all("src" not in s for s in page.scripts)        # every script inline
    assert not [link for link in page.links if re.match(r"(?i)\s*https?:|//", link.get("href") or "")]
    external = r"(?i)<(script|link|img|iframe|source|embed|object)\b[^>]*\b(src|href|data)\s*=\s*[\"']?\s*(https?:)?//"
    assert not re.search(external, text)
    assert not re.search(r"(?i)@import|url\(\s*[\"']?\s*(https?:)?//", text)
    assert "default-src 'none'" in text                                      # the page may load nothing
    # Vega, Vega-Lite and vega-embed themselves, inlined
    assert "window.vegaEmbed=" in text and "window.vegaLite=" in text and "window.vega=" in text
    assert len(text) > 500_000
    # one chart per section, each with its Vega-Lite spec and its data inside it
    specs = json.loads(page.specs_text)
    assert set(page.charts) == set(specs) == CHARTS
    for chart_id, spec in specs.items():
        assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6"), chart_id
        assert '"url"' not in json.dumps(spec), chart_id              # no data loaded from anywhere
    # the http(s) addresses in the page: the articles' links, and none in a script but the library's own
    hrefs = set(re.findall(r'href="(https?://[^"]+)"', text))
    articles = {a[2] for a in ARTICLES.values()}
    assert {h.split("#")[0].replace("&amp;", "&") for h in hrefs} == articles


def test_every_report_row_links_its_article_and_shows_its_sentence(warehouse, report):
    _, text = report
    page = parse(text)
    expected = _report_rows(warehouse)
    assert len(page.rows) == len(expected) == 8
    seen = []
    for row in page.rows:
        article = row["hrefs"][0]
        assert "#" not in article and article in {a[2] for a in ARTICLES.values()}
        assert row["hrefs"][1].startswith(article + "#:~:text=")      # the sentence, as a text fragment
        evidence = [ev for e, u, ev in expected
                    if e == row["event"] and u == article and _norm(ev) in _norm(row["text"])]
        seen.append((row["event"], article, evidence[0]))
    assert sorted(seen) == expected
    # the mention is marked inside its sentence; markup in article text stays text
    assert "<mark>совместную водную комиссию по бассейну Сырдарьи</mark>" in text
    assert "<mark>&lt;b&gt;water&lt;/b&gt; talks</mark>" in text
    assert "Talks &lt;script&gt;alert(1)&lt;/script&gt; &amp; “water”" in text
    assert "<script>alert(1)" not in text and "<b>water</b>" not in text
    assert text.lower().count("</script>") == 3                      # the specs, the library, the loader


def test_header_title_and_sections(report):
    _, text = report
    assert "<title>eventwire report — all dates, all languages</title>" in text
    assert f"<code>{VERSION}</code>" in text and "generated " in text
    for heading in ("Meetings per week", "Most active institutions", "Who meets whom", "Where meetings take place",
                    "Mechanisms", "Upcoming meetings", "Events and their articles"):
        assert f"<h2>{heading}</h2>" in text
    upcoming = text.split('<section id="upcoming">')[1].split("</section>")[0]
    assert "Заседание Совета министров иностранных дел ШОС" in upcoming and "2026-04-15" in upcoming
    assert "Бишкек (Bishkek), KG" in upcoming
    assert "a summit in Astana" not in upcoming                      # held since: no longer upcoming


def test_the_charts_hold_the_warehouse_data(warehouse, report):
    _, text = report
    specs = json.loads(parse(text).specs_text)

    def values(spec):
        found = []
        for key, value in spec.items() if isinstance(spec, dict) else enumerate(spec):
            if key == "values" and isinstance(value, list):
                found += [v for v in value if isinstance(v, dict)]     # data rows, not a legend's values
            elif isinstance(value, dict | list):
                found += values(value)
        return found

    weekly = values(specs["chart-weekly"])
    assert sum(v["meetings"] for v in weekly) == 4                      # summit, call, session, talks
    assert {(v["week"], v["kind"], v["status"]) for v in weekly} >= {("2026-03-09", "summit", "past"),
                                                                     ("2026-04-13", "session", "planned")}
    places = {v["place"] for v in values(specs["chart-map"]) if "place" in v}
    assert {"Astana", "Bishkek", "Tashkent"} <= places
    pairs = {v["pair"] for v in values(specs["chart-network"]) if "pair" in v}
    assert any("Kazakhstan" in p or "Казахстан" in p for p in pairs)
    institutions = {v["name"] for v in values(specs["chart-institutions"]) if "name" in v}
    assert institutions == {"United Nations", "Шанхайская организация сотрудничества"}
    steps = [v for v in values(specs["chart-mechanisms"]) if "status" in v]
    assert {v["status"] for v in steps} == {"proposed", "agreed"}
    assert "proposed by Жээнбек Кулубаев" in {v["proposed_by"] for v in steps}

    con = connect(warehouse, read_only=True)
    try:
        data = load_report(con)
    finally:
        con.close()
    proposers = {p for m in mechanisms(data.mechanism_steps) for p in m["proposers"]}
    assert {"Kazakhstan", "Жээнбек Кулубаев"} <= proposers
    assert data.meetings_without_place == 1                             # the call
    assert all(e["source"] < e["target"] for e in data.edges)


@pytest.mark.parametrize("since, until, language, articles", [
    (date(2026, 3, 10), date(2026, 3, 20), None, {"ru-1", "en-2", "ru-2"}),
    (None, None, "ru", {"ru-1", "ru-2"}),
    (date(2026, 3, 11), None, "en", {"en-2", "en-3"}),
    (None, date(2026, 3, 2), None, {"en-1"}),
])
def test_since_until_and_language_filter_the_rows(warehouse, tmp_path, since, until, language, articles):
    con = connect(warehouse, read_only=True)
    try:
        text = write_report(con, tmp_path / "r.html", since=since, until=until, language=language).read_text("utf-8")
    finally:
        con.close()
    page = parse(text)
    urls = {ARTICLES[a][2] for a in articles}
    assert {row["hrefs"][0] for row in page.rows} == urls
    assert len(page.rows) == len(_report_rows(warehouse, since, until, language))
    assert f'<li><b>{len(articles)}</b>articles</li>' in text
    if language == "ru":
        assert "Russian (ru)" in text and "The presidents of Kazakhstan" not in text
    if since and until:
        assert f"{since.isoformat()} to {until.isoformat()}" in text


@pytest.mark.parametrize("case", ["empty warehouse", "empty range", "mechanisms only"])
def test_an_empty_range_gives_a_whole_report_saying_so(warehouse, tmp_path, case):
    if case == "empty warehouse":
        db = tmp_path / "empty.duckdb"
        open_warehouse(db).close()
        since = None
    else:
        db, since = warehouse, date(2030, 1, 1)
    if case == "mechanisms only":                                 # a mechanism, no meeting
        db = build_warehouse(tmp_path / "mech.duckdb", articles=["en-1"])
        con = open_warehouse(db)
        con.execute("DELETE FROM meetings")
        con.execute("DELETE FROM reports WHERE event_type = 'meeting'")
        con.execute("DELETE FROM events WHERE event_type = 'meeting'")
        con.close()
        since = None
    con = connect(db, read_only=True)
    try:
        text = write_report(con, tmp_path / "r.html", since=since).read_text("utf-8")
    finally:
        con.close()
    page = parse(text)
    assert text.count(NO_MEETINGS) >= 3 and text.rstrip().endswith("</html>")
    if case == "mechanisms only":
        assert set(page.charts) == {"chart-institutions", "chart-mechanisms"} and len(page.rows) == 1
    else:
        assert page.charts == [] and page.rows == [] and json.loads(page.specs_text) == {}
        assert "No mechanisms in this range." in text and "<li><b>0</b>articles</li>" in text
        assert "window.vegaEmbed=" in text                          # still the same self-contained page


def test_the_cli_writes_the_report(warehouse, tmp_path, capsys):
    out = tmp_path / "cli" / "report.html"
    assert main(["report", "--db", str(warehouse), "--out", str(out), "--since", "2026-03-10", "--lang", "ru"]) == 0
    assert f"report written to {out}" in capsys.readouterr().out
    page = parse(out.read_text("utf-8"))
    assert {row["hrefs"][0] for row in page.rows} == {ARTICLES["ru-1"][2], ARTICLES["ru-2"][2]}
    assert main(["report", "--db", str(tmp_path / "missing.duckdb"), "--out", str(tmp_path / "x.html")]) == 2
    assert not (tmp_path / "x.html").exists()


def test_the_report_sql_is_in_files_and_never_formatted():
    """The reports package passes the checks of tests/reliability/test_sql_safety.py, and its queries
    take every value as a $parameter or, for the range and language, through scope.sql's views."""
    bad = []
    for path in sorted((ROOT / "reports").rglob("*.py")):
        rel = str(path.relative_to(ROOT))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr) and SQL_WORDS.search(_sql_text(node)):
                bad += [f"{rel}:{node.lineno}" for part in node.values
                        if isinstance(part, ast.FormattedValue) and ast.unparse(part.value) not in IDENTIFIERS]
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and SQL_WORDS.search(_sql_text(node.left)):
                bad.append(f"{rel}:{node.lineno}: %")
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"
                    and SQL_WORDS.search(_sql_text(node.func.value))):
                bad.append(f"{rel}:{node.lineno}: format")
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "execute"
                    and node.args and not isinstance(node.args[0], ast.Constant)):
                # the one dynamic execute: reports.data.query, whose text is a file of reports/queries
                if (rel, ast.unparse(node.args[0])) != ("reports/data.py", "sql"):
                    bad.append(f"{rel}:{node.lineno}: execute({ast.unparse(node.args[0])})")
    assert not bad, bad
    queries = sorted((ROOT / "reports" / "queries").glob("*.sql"))
    assert len(queries) >= 8
    for path in queries:
        sql = path.read_text(encoding="utf-8")
        assert sql.startswith("-- ") and "{" not in sql and "%s" not in sql, path.name
        if path.stem == "scope":       # the range and language, once for every query
            assert {"eventwire_report_since", "eventwire_report_until", "eventwire_report_language"} <= \
                set(re.findall(r"getvariable\('([a-z_]+)'\)", sql))
        elif path.stem != "scope_end":  # each question reads the articles of the range and language
            assert "_ew_report_" in sql, path.name
