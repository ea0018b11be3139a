"""`eventwire report`: one self-contained HTML file of the warehouse's meetings, institutions and mechanisms.

    write_report(con, Path("report.html"), since=date(2025, 3, 1), until=date(2025, 3, 31), language="ru")

The file opens without internet: Vega, Vega-Lite and vega-embed are inlined (vl-convert's
``javascript_bundle``, the same bundle ``altair.Chart.save(..., inline=True)`` writes), every chart's
data is inside its Vega-Lite spec, there are no external styles or fonts, and a Content-Security-
Policy forbids the page to load anything. The only http(s) addresses in it are the articles' links.

Sections: meetings per week, most active institutions, who meets whom, meeting places, mechanisms
(timeline and table), upcoming planned meetings, and every report with its article and sentence.
An empty warehouse or range gives a whole report that says there is nothing in it.
"""
from __future__ import annotations

import html
import json
from collections.abc import Iterable
from datetime import date, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any
from urllib.parse import quote, urlsplit

import altair as alt
import duckdb
import vl_convert

from reports import charts
from reports.data import ReportData, load_report, mechanisms

LANGUAGE_NAMES = {"ru": "Russian", "en": "English", "other": "other languages"}
NO_MEETINGS = "No meetings in this range."


def write_report(con: duckdb.DuckDBPyConnection, out: Path, *, since: date | None = None,
                 until: date | None = None, language: str | None = None) -> Path:
    """Write the report of articles published in [since, until] (UTC days) in `language` to `out`."""
    data = load_report(con, since=since, until=until, language=language)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_name(out.name + ".part")
    part.write_text(render_report(data), encoding="utf-8")
    part.replace(out)
    return out


def render_report(data: ReportData) -> str:
    """The report's whole HTML text."""
    specs: dict[str, dict[str, Any]] = {}
    sections = [
        _weekly(data, specs), _institutions(data, specs), _network(data, specs), _places(data, specs),
        _mechanisms(data, specs), _upcoming(data), _reports(data),
    ]
    nav = " ".join(f'<a href="#{sid}">{_e(title)}</a>' for sid, title, _ in sections)
    body = "\n".join(f'<section id="{sid}">\n<h2>{_e(title)}</h2>\n{inner}\n</section>'
                     for sid, title, inner in sections)
    return _template().substitute(
        title=_e(f"eventwire report — {_range_text(data)}, {_language_text(data)}"),
        heading=_e(f"Meetings, institutions and mechanisms: {_range_text(data)}, {_language_text(data)}"),
        meta=_meta(data), counts=_counts(data), nav=nav, sections=body, footer=_footer(),
        specs=_script_json(specs), vega_bundle=_bundle(), vega_version=_e(vl_convert.get_vega_version()),
        vegalite_version=_e(alt.SCHEMA_VERSION), embed_version=_e(vl_convert.get_vega_embed_version()))


# --- sections: (id, title, inner HTML) ---------------------------------------------------------

def _weekly(data: ReportData, specs: dict) -> tuple[str, str, str]:
    chart = charts.weekly_chart(data.weekly)
    lead = ("Meeting events reported by the articles of the range, in the week they take place (the "
            "start date at its precision: a meeting “in June” counts in the week of 1 June), coloured by kind; "
            "one row per current status (a planned meeting later reported as held is past).")
    return "meetings", "Meetings per week", _lead(lead) + _chart("chart-weekly", chart, specs, NO_MEETINGS)


def _institutions(data: ReportData, specs: dict) -> tuple[str, str, str]:
    chart = charts.institutions_chart(data.institutions)
    lead = (f"The {data.limits.institutions} institutions mentioned most in the articles of the range, "
            "with the meetings of the range they took part in.")
    return "institutions", "Most active institutions", _lead(lead) + _chart(
        "chart-institutions", chart, specs, "No institutions are mentioned in this range.")


def _network(data: ReportData, specs: dict) -> tuple[str, str, str]:
    chart = charts.network_chart(data.nodes, data.edges)
    lead = ("Participants (people, countries, institutions: one node across languages) joined when they "
            "take part in the same meeting (the thicker the line, the more meetings together); dot size: "
            f"meetings; at most the {data.limits.network_nodes} most connected.")
    empty = NO_MEETINGS if not data.summary["meetings"] else "No meeting of this range names its participants."
    return "network", "Who meets whom", _lead(lead) + _chart("chart-network", chart, specs, empty)


def _places(data: ReportData, specs: dict) -> tuple[str, str, str]:
    chart = charts.map_chart(data.places)
    lead = ("Where the meetings of the range take place (the city, else the country's capital), sized by "
            "meetings and coloured by their most frequent status; an equirectangular projection with a "
            "graticule (no basemap: nothing is downloaded).")
    empty = NO_MEETINGS if not data.summary["meetings"] else "No meeting of this range has a known place."
    inner = _lead(lead) + _chart("chart-map", chart, specs, empty)
    missing = data.meetings_without_place
    if chart is not None and missing > 0:
        inner += (f'<p class="note">{missing} meeting{"s" if missing != 1 else ""} of the range without a known '
                  "place.</p>")
    return "places", "Where meetings take place", inner


def _mechanisms(data: ReportData, specs: dict) -> tuple[str, str, str]:
    chart = charts.mechanisms_chart(data.mechanism_steps)
    lead = (f"Mechanisms (commissions, centres, agreements…) reported in the range, at most the "
            f"{data.limits.mechanisms} most recently reported: each status at its first report, and who proposed "
            "it; a point opens the article that reported it.")
    inner = _lead(lead) + _chart("chart-mechanisms", chart, specs, "No mechanisms in this range.")
    rows = mechanisms(data.mechanism_steps)
    if rows:
        body = []
        for m in rows:
            latest = m["latest"]
            body.append(_tr([
                _e(m["mechanism"]), _tag(m["current_status"]), " → ".join(_tag(s) for s in m["steps"]),
                _e(", ".join(m["proposers"])) or '<span class="repeat">—</span>', _day(m["first_reported_at"]),
                _article(latest["article_url"], latest["article_title"], latest["languages"],
                         latest["first_reported_at"]),
                _evidence(latest["evidence"], latest["mention"], latest["article_url"])],
                classes=["", "", "", "", "nowrap", "article", "evidence"]))
        inner += _table(["mechanism", "now", "statuses", "proposed by", "first reported", "latest status in",
                         "its sentence"], body)
    return "mechanisms", "Mechanisms", inner


def _upcoming(data: ReportData) -> tuple[str, str, str]:
    lead = ("Meetings still planned (no report says they were held) announced in the range, soonest first; "
            "the article that announced each first.")
    if not data.upcoming:
        empty = NO_MEETINGS if not data.summary["meetings"] else "No planned meetings are announced in this range."
        return "upcoming", "Upcoming meetings", _lead(lead) + f'<p class="empty">{empty}</p>'
    body = [_tr([
        _when(u["start_date"], u["date_precision"]), _e(u["kind"]), _e(u["name"] or u["kind"]),
        _e(_place(u["place_name"], u["location"], u["country_code"])), _e(", ".join(u["participants"])),
        str(u["articles"]),
        _article(u["article_url"], u["article_title"], None, u["first_reported_at"]),
        _evidence(u["evidence"], u["mention"], u["article_url"])],
        classes=["nowrap", "", "", "", "", "num", "article", "evidence"]) for u in data.upcoming]
    return "upcoming", "Upcoming meetings", _lead(lead) + _table(
        ["when", "kind", "meeting", "where", "participants", "articles", "announced in", "its sentence"], body)


def _reports(data: ReportData) -> tuple[str, str, str]:
    lead = ("Every report of the range: the event (meeting or mechanism) an article reports, the status it "
            "gives, the article and the sentence that says it (the mention highlighted; ↗ opens the article "
            "at that sentence where the browser supports it).")
    title = "Events and their articles"
    if not data.reports:
        empty = NO_MEETINGS + (" No mechanisms either." if not data.summary["mechanisms"] else "")
        return "events", title, _lead(lead) + f'<p class="empty">{_e(empty)}</p>'
    body = []
    previous = None
    for r in data.reports:
        repeat = r["event_id"] == previous
        previous = r["event_id"]
        what = r["kind"] if r["event_type"] == "meeting" else "mechanism"
        event = (f'<span class="repeat">↳ {_e(_short(r["event_name"] or what, 60))}</span>' if repeat
                 else f'<b>{_e(r["event_name"] or what)}</b><br><span class="tag">{_e(what)}</span> '
                      f'{_tag(r["event_status"])}')
        body.append(_tr([
            event, _when(r["start_date"], r["date_precision"]), _e(r["place"] or ""),
            _tag(r["status"]) + (f'<br><span class="repeat">by {_e(r["proposer"])}</span>' if r["proposer"] else ""),
            _article(r["article_url"], r["article_title"], [r["language"]], r["day"]),
            _evidence(r["evidence"], r["mention"], r["article_url"])],
            classes=["", "nowrap", "", "nowrap", "article", "evidence"], attrs={"data-event": r["event_id"]}))
    inner = _lead(lead) + _table(["event", "when", "where", "reported as", "article", "sentence"], body,
                                 table_id="reports-table")
    if data.reports_total > len(data.reports):
        inner += (f'<p class="note">The first {len(data.reports)} of {data.reports_total} reports; '
                  "narrow the range (--since, --until, --lang) to see the others.</p>")
    return "events", title, inner


# --- pieces -------------------------------------------------------------------------------------

def _chart(chart_id: str, chart: alt.TopLevelMixin | None, specs: dict, empty: str) -> str:
    if chart is None:
        return f'<p class="empty">{_e(empty)}</p>'
    specs[chart_id] = charts.spec(chart)
    return f'<div class="chart" id="{chart_id}" data-rendered="false"></div>'


def _table(headers: list[str], rows: list[str], *, table_id: str | None = None) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    ident = f' id="{table_id}"' if table_id else ""
    return f"<table{ident}>\n<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"


def _tr(cells: list[str], *, classes: list[str], attrs: dict[str, str] | None = None) -> str:
    extra = "".join(f' {k}="{_e(v)}"' for k, v in (attrs or {}).items())
    tds = "".join(f'<td class="{c}">{cell}</td>' if c else f"<td>{cell}</td>"
                  for cell, c in zip(cells, classes, strict=True))
    return f"<tr{extra}>{tds}</tr>"


def _article(url: str | None, title: str | None, languages: Iterable[str] | None, when: date | datetime | None) -> str:
    """The article's title linking to it (http(s) addresses only), its language and day."""
    label = _e(_short(title or url or "(untitled)", 90))
    link = f'<a class="article" href="{_e(url)}">{label}</a>' if _linkable(url) else label
    extra = " · ".join(part for part in [*(languages or []), _day(when)] if part)
    return link + (f'<br><span class="repeat">{_e(extra)}</span>' if extra else "")


def _evidence(sentence: str | None, mention: str | None, url: str | None) -> str:
    """The sentence with its mention marked, and a link to the article at that text."""
    sentence = sentence or ""
    mention = (mention or "").strip()
    at = sentence.find(mention) if mention else -1
    if at >= 0:
        text = f"{_e(sentence[:at])}<mark>{_e(mention)}</mark>{_e(sentence[at + len(mention):])}"
    else:
        text = _e(sentence)
    if _linkable(url):
        target = mention if 0 < len(mention) <= 160 else " ".join(sentence.split()[:8])
        text += (f' <a class="sentence" href="{_e(_fragment_link(url, target))}" '
                 'title="open the article at this text">↗</a>')
    return text


def _fragment_link(url: str, text: str) -> str:
    """`url` with a text fragment (#:~:text=...) that scrolls to and highlights `text`."""
    if not text:
        return url
    encoded = quote(" ".join(text.split()), safe="").replace("-", "%2D")
    return f"{url}{':~:' if '#' in url else '#:~:'}text={encoded}"


def _linkable(url: str | None) -> bool:
    return bool(url) and urlsplit(url).scheme.lower() in ("http", "https")


def _tag(status: str | None) -> str:
    return f'<span class="tag {_e(status or "")}">{_e(status or "?")}</span>'


def _when(day: date | None, precision: str | None) -> str:
    if day is None:
        return '<span class="repeat">—</span>'
    text = {"year": f"{day:%Y}", "month": f"{day:%Y-%m}"}.get(precision or "day", day.isoformat())
    return _e(text)


def _place(place: str | None, location: str | None, country: str | None) -> str:
    name = place or location or ""
    if location and place and location != place:
        name = f"{location} ({place})"
    return f"{name}, {country}" if name and country else name


def _lead(text: str) -> str:
    return f'<p class="lead">{_e(text)}</p>\n'


def _counts(data: ReportData) -> str:
    s = data.summary
    items = [(s["articles"], "articles"), (s["meetings"], "meeting events"), (s["mechanisms"], "mechanisms"),
             (data.reports_total, "reports")]
    return '<ul class="counts">' + "".join(f"<li><b>{n}</b>{_e(label)}</li>" for n, label in items) + "</ul>"


def _meta(data: ReportData) -> str:
    versions = data.summary["extractor_versions"] or []
    extractor = ", ".join(f"<code>{_e(v)}</code>" for v in versions) or "none (no extracted articles)"
    return (f"Articles published: {_e(_range_text(data))} (UTC), {_e(_language_text(data))} · "
            f"generated {_e(data.generated_at.strftime('%Y-%m-%d %H:%M UTC'))} · extractor {extractor}")


def _footer() -> str:
    return _e(f"Made by eventwire report. Charts: Vega-Lite {alt.SCHEMA_VERSION.lstrip('v')} (Altair "
              f"{alt.__version__}), Vega {vl_convert.get_vega_version()}, inlined: this file needs no network. "
              "Names as the articles give them; times in UTC.")


def _range_text(data: ReportData) -> str:
    if data.since and data.until:
        return f"{data.since.isoformat()} to {data.until.isoformat()}"
    if data.since:
        return f"from {data.since.isoformat()}"
    if data.until:
        return f"until {data.until.isoformat()}"
    return "all dates"


def _language_text(data: ReportData) -> str:
    if data.language is None:
        return "all languages"
    return f"{LANGUAGE_NAMES.get(data.language, data.language)} ({data.language})"


def _day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _script_json(value: Any) -> str:
    """JSON safe inside <script type="application/json">: no '<', '>' or '&' left to end the element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@cache
def _template() -> Template:
    return Template(resources.files("reports").joinpath("templates", "report.html").read_text(encoding="utf-8"))


@cache
def _bundle() -> str:
    """Vega, Vega-Lite (Altair's version) and vega-embed as one script that sets window.vegaEmbed."""
    vl_version = "_".join(alt.SCHEMA_VERSION.split(".")[:2])    # 'v6.4.1' -> 'v6_4', as Altair asks vl-convert
    return vl_convert.javascript_bundle(vl_version=vl_version)
