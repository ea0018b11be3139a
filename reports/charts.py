"""The report's charts, as Vega-Lite specs built with Altair: data inline, nothing fetched when drawn.

Each function takes the rows of `reports.data` and returns an Altair chart, or None when there is
nothing to draw (the page then says so in words). Names are shown as the warehouse stores them,
Russian or English; times are UTC.

- `weekly_chart`: meetings per week, stacked by kind, one row per status;
- `institutions_chart`: the most mentioned institutions, with their meetings;
- `network_chart`: who meets whom — participants joined when they share a meeting;
- `map_chart`: meeting places on an equirectangular map with a graticule (no basemap: no world
  outline ships offline, and nothing may be downloaded when the page opens);
- `mechanisms_chart`: each mechanism's statuses over time (proposed → agreed → established), with
  who proposed it; a point links to the article that first reported that status.
"""
from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

import altair as alt

from reports.layout import spring_layout

Row = dict[str, Any]

WIDTH = 900
KINDS = ["summit", "meeting", "talks", "session", "conference", "forum", "visit", "call"]
STATUSES = ["past", "ongoing", "planned"]
MECHANISM_STATUSES = ["proposed", "agreed", "established", "existing"]
PARTICIPANT_TYPES = ["country", "institution", "person"]
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', sans-serif"
CONFIG = {
    "font": FONT,
    "view": {"stroke": "transparent"},
    "title": {"anchor": "start", "fontSize": 14, "fontWeight": 600, "subtitleColor": "#555", "offset": 10},
    "axis": {"labelFontSize": 11, "titleFontSize": 11, "titleColor": "#444", "gridColor": "#eceff3"},
    "legend": {"labelFontSize": 11, "titleFontSize": 11, "orient": "right"},
    "header": {"labelFontSize": 12, "labelFontWeight": 600},
}
STATUS_COLORS = alt.Scale(domain=STATUSES, range=["#4c78a8", "#f58518", "#54a24b"])
# one colour per kind in every report, whichever kinds a range holds (tableau10)
KIND_COLORS = dict(zip(KINDS, ["#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2",
                               "#ff9da6"], strict=True))


def weekly_chart(rows: list[Row]) -> alt.FacetChart | None:
    """Meetings per week (Monday to Sunday) stacked by kind, one row per current status."""
    if not rows:
        return None
    values = [{**_plain(r), "week_label": _day(r["week"])} for r in rows]
    bars = alt.Chart().mark_bar(stroke="white", strokeWidth=0.5).encode(
        x=alt.X("week:T", title="week (Monday to Sunday, UTC): the meeting's date, else its first report",
                scale=alt.Scale(type="utc"), axis=alt.Axis(format="%d %b %Y", labelAngle=0, tickCount=8)),
        x2="week_end:T",
        y=alt.Y("meetings:Q", title="meetings", stack="zero", axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.Color("kind:N", title="kind", scale=_fixed_colors(KIND_COLORS, [r["kind"] for r in rows])),
        tooltip=[alt.Tooltip("week_label:N", title="week of"), alt.Tooltip("status:N"), alt.Tooltip("kind:N"),
                 alt.Tooltip("meetings:Q"), alt.Tooltip("undated:Q", title="without a date (week of report)")],
    ).properties(width=WIDTH - 120, height=90)
    present = [s for s in STATUSES if any(r["status"] == s for r in rows)]
    return alt.layer(bars, data=alt.Data(values=values)).facet(
        row=alt.Row("status:N", sort=present, title=None,
                    header=alt.Header(labelAngle=0, labelAlign="left", labelOrient="top", labelPadding=2)),
        spacing=14,
    )


def institutions_chart(rows: list[Row]) -> alt.LayerChart | None:
    """The most mentioned institutions (bars), with the articles and meetings they appear in."""
    if not rows:
        return None
    labels = _unique([_institution_label(r) for r in rows])
    values = [{**_plain(r), "label": label,
               "caption": f"{r['mentions']} mention{'' if r['mentions'] == 1 else 's'}, "
                          f"{r['meetings']} meeting{'' if r['meetings'] == 1 else 's'}"}
              for r, label in zip(rows, labels, strict=True)]
    base = alt.Chart(alt.Data(values=values)).encode(
        y=alt.Y("label:N", title=None, sort=[v["label"] for v in values],
                axis=alt.Axis(labelLimit=360)),
        x=alt.X("mentions:Q", title="mentions in the articles of the range", axis=alt.Axis(tickMinStep=1, format="d"),
                scale=alt.Scale(domain=[0, max(r["mentions"] for r in rows) * 1.8], nice=False)),
        tooltip=[alt.Tooltip("name:N"), alt.Tooltip("acronym:N"), alt.Tooltip("kind:N"),
                 alt.Tooltip("mentions:Q"), alt.Tooltip("articles:Q"),
                 alt.Tooltip("meetings:Q", title="meetings attended")],
    )
    bars = base.mark_bar(height={"band": 0.75}).encode(
        color=alt.Color("kind:N", title="kind", scale=alt.Scale(scheme="set2"),
                        legend=alt.Legend(orient="bottom", direction="horizontal")))
    labels = base.mark_text(align="left", dx=4, fontSize=11, color="#333").encode(
        text=alt.Text("caption:N"))
    return alt.layer(bars, labels).properties(
        width=WIDTH - 420, height=max(24 * len(values), 60))


def network_chart(nodes: list[Row], edges: list[Row]) -> alt.LayerChart | None:
    """Who meets whom: participants (size: meetings) joined by a line per pair that shares a meeting."""
    if not nodes:
        return None
    pos = spring_layout([n["entity_id"] for n in nodes],
                        [(e["source"], e["target"], e["meetings"]) for e in edges])
    names = {n["entity_id"]: n["name"] for n in nodes}
    node_values = [{**_plain(n), "x": pos[n["entity_id"]][0], "y": pos[n["entity_id"]][1],
                    "label": _shorten(n["name"], 34)} for n in nodes]
    edge_values = [{"x": pos[e["source"]][0], "y": pos[e["source"]][1], "x2": pos[e["target"]][0],
                    "y2": pos[e["target"]][1], "meetings": e["meetings"],
                    "pair": f"{names[e['source']]} — {names[e['target']]}"} for e in edges]
    x = alt.X("x:Q", axis=None, scale=alt.Scale(domain=[-0.06, 1.06]))
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(domain=[-0.06, 1.06]))
    lines = alt.Chart(alt.Data(values=edge_values)).mark_rule(color="#9aa5b1", opacity=0.6).encode(
        x=x, y=y, x2="x2:Q", y2="y2:Q",
        strokeWidth=alt.StrokeWidth("meetings:Q", scale=alt.Scale(range=[1, 6]), legend=None),
        tooltip=[alt.Tooltip("pair:N", title="who"), alt.Tooltip("meetings:Q", title="meetings together")])
    base = alt.Chart(alt.Data(values=node_values)).encode(
        x=x, y=y, tooltip=[alt.Tooltip("name:N"), alt.Tooltip("entity_type:N", title="type"),
                           alt.Tooltip("meetings:Q"), alt.Tooltip("partners:Q", title="met")])
    dots = base.mark_circle(opacity=0.9, stroke="white", strokeWidth=1).encode(
        size=alt.Size("meetings:Q", title="meetings", scale=alt.Scale(range=[60, 700]),
                      legend=alt.Legend(values=_legend_counts(n["meetings"] for n in nodes), format="d",
                                         orient="bottom")),
        color=alt.Color("entity_type:N", title="participant", scale=alt.Scale(domain=PARTICIPANT_TYPES,
                        range=["#4c78a8", "#e45756", "#72b7b2"]), legend=alt.Legend(orient="bottom")))
    labels = base.mark_text(dy=-13, fontSize=11, color="#222").encode(text="label:N")
    return alt.layer(lines, dots, labels).properties(
        width=WIDTH - 140, height=460)


def map_chart(places: list[Row]) -> alt.LayerChart | None:
    """Meeting places (size: meetings; colour: the most frequent status) on a graticule."""
    if not places:
        return None
    width, height = WIDTH - 140, 420
    view = _view(places, width, height)
    values = [{**_plain(p), "status": max(STATUSES, key=lambda s: p[s]), "label": p["place"],
               "examples": "; ".join(p["examples"] or []), "written": ", ".join(p["written"] or [])}
              for p in places]
    sphere = alt.Chart(alt.sphere()).mark_geoshape(fill="#f5f8fb", stroke="#c9d3dd", clip=True)
    grid = alt.Chart(alt.graticule(step=[view["step"], view["step"]])).mark_geoshape(
        stroke="#d5dde6", strokeWidth=0.7, filled=False, clip=True)
    ticks = alt.Chart(alt.Data(values=view["ticks"])).mark_text(fontSize=10, color="#8a96a3").encode(
        longitude="lon:Q", latitude="lat:Q", text="text:N")
    base = alt.Chart(alt.Data(values=values)).encode(   # the dot and its label show the same tooltip
        longitude="longitude:Q", latitude="latitude:Q",
        tooltip=[alt.Tooltip("place:N"), alt.Tooltip("written:N", title="as written"),
                 alt.Tooltip("country_code:N", title="country"), alt.Tooltip("meetings:Q"),
                 alt.Tooltip("past:Q"), alt.Tooltip("ongoing:Q"), alt.Tooltip("planned:Q"),
                 alt.Tooltip("examples:N", title="e.g.")])
    dots = base.mark_circle(opacity=0.8, stroke="white", strokeWidth=1).encode(
        size=alt.Size("meetings:Q", title="meetings", scale=alt.Scale(range=[80, 900]),
                      legend=alt.Legend(values=_legend_counts(p["meetings"] for p in places), format="d")),
        color=alt.Color("status:N", title="status (most)", scale=STATUS_COLORS))
    labels = base.mark_text(align="left", dx=9, dy=-7, fontSize=11, color="#222").encode(text="label:N")
    return alt.layer(sphere, grid, ticks, dots, labels).project(
        type="equirectangular", center=[view["lon"], view["lat"]], scale=view["scale"],
        translate=[width / 2, height / 2]).properties(
        width=width, height=height)


def mechanisms_chart(steps: list[Row]) -> alt.LayerChart | None:
    """Each mechanism's statuses over time (first report of each), with who proposed it."""
    if not steps:
        return None
    labels = _mechanism_labels(steps)
    values = []
    for s in steps:
        named = [*(s["proposers"] or []), *([s["event_proposer"]] if s["event_proposer"] else [])]
        proposers = list(dict.fromkeys(named))
        values.append({
            "event_id": s["event_id"], "mechanism": labels[s["event_id"]], "full_name": s["mechanism"],
            "status": s["status"], "current_status": s["current_status"],
            "at": _instant(s["first_reported_at"]), "day": _day(s["first_reported_at"]),
            "order": _instant(s["event_first_reported_at"]), "proposer": ", ".join(proposers),
            "proposed_by": f"proposed by {', '.join(proposers)}" if proposers and s["status"] == "proposed" else "",
            "articles": s["articles"], "languages": ", ".join(s["languages"] or []),
            "evidence": _shorten(s["evidence"] or "", 220), "article_url": s["article_url"] or ""})
    order = sorted(dict.fromkeys(v["mechanism"] for v in values), key=lambda m: min(
        v["order"] for v in values if v["mechanism"] == m))
    for v in values:                                # rows in the order of each mechanism's first report
        v["rank"] = order.index(v["mechanism"])
    x = alt.X("at:T", title="first reported (UTC)", scale=alt.Scale(type="utc", padding=24),
              axis=alt.Axis(format="%d %b %Y", labelAngle=0, tickCount=6))
    y = alt.Y("mechanism:N", title=None, sort=alt.EncodingSortField("rank", op="min"), axis=alt.Axis(labelLimit=330))
    base = alt.Chart(alt.Data(values=values)).encode(x=x, y=y)
    path = base.mark_line(color="#aab4bf", strokeWidth=2).encode(detail="event_id:N", order="at:T")
    dots = base.mark_point(filled=True, size=130, opacity=1, cursor="pointer").encode(
        color=alt.Color("status:N", title="status", scale=alt.Scale(domain=MECHANISM_STATUSES,
                        range=["#f58518", "#4c78a8", "#54a24b", "#9d755d"])),
        shape=alt.Shape("status:N", scale=alt.Scale(domain=MECHANISM_STATUSES,
                        range=["circle", "diamond", "square", "triangle-up"]), legend=None),
        href="article_url:N",
        tooltip=[alt.Tooltip("full_name:N", title="mechanism"), alt.Tooltip("status:N"),
                 alt.Tooltip("current_status:N", title="now"), alt.Tooltip("day:N", title="first reported"),
                 alt.Tooltip("proposer:N"), alt.Tooltip("articles:Q"), alt.Tooltip("languages:N"),
                 alt.Tooltip("evidence:N")])
    who = base.mark_text(align="left", dx=9, fontSize=10, color="#555", fontStyle="italic").encode(
        text="proposed_by:N")
    return alt.layer(path, dots, who).properties(
        width=WIDTH - 420, height=max(26 * len(order), 60))


def spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The chart's Vega-Lite spec with the report's config (fonts, titles, axes)."""
    out = chart.to_dict()
    out["config"] = {**CONFIG, **out.get("config", {})}
    return out


def _fixed_colors(colors: dict[str, str], present: list[str]) -> alt.Scale:
    """A colour scale of the values present only, each in its colour of `colors` (same in every report)."""
    domain = [v for v in colors if v in set(present)]
    return alt.Scale(domain=domain, range=[colors[v] for v in domain])


def _legend_counts(counts: Any) -> list[int]:
    """At most four whole numbers from 1 to the largest count, for a size legend."""
    top = max([*counts, 1])
    return sorted({1, max(round(top / 4), 1), max(round(top / 2), 1), top})


def _view(places: list[Row], width: int, height: int) -> dict[str, Any]:
    """Centre, scale, graticule step and graticule labels of a map that frames every place."""
    lons = [p["longitude"] for p in places]
    lats = [p["latitude"] for p in places]
    span_lon = min(max((max(lons) - min(lons)) * 1.5, 16.0), 360.0)
    span_lat = min(max((max(lats) - min(lats)) * 1.5, 10.0), 170.0)
    scale = min(width / math.radians(span_lon), height / math.radians(span_lat))
    lon = (max(lons) + min(lons)) / 2
    lat = max(min((max(lats) + min(lats)) / 2, 80.0), -80.0)
    half_lon = math.degrees(width / 2 / scale)
    half_lat = math.degrees(height / 2 / scale)
    step = next(s for s in (1, 2, 5, 10, 15, 30, 45, 90) if 2 * half_lon / s <= 9)
    ticks = []
    for m in range(math.ceil((lon - half_lon) / step), math.floor((lon + half_lon) / step) + 1):
        if abs(m * step - (lon - half_lon)) > step / 3:     # not on the left edge, where the latitudes are
            ticks.append({"lon": m * step, "lat": lat - half_lat * 0.95, "text": _degrees(m * step, "E", "W")})
    for m in range(math.ceil((lat - half_lat) / step), math.floor((lat + half_lat) / step) + 1):
        if abs(m * step) < 90 and abs(m * step - (lat - half_lat)) > step / 3:
            ticks.append({"lon": lon - half_lon * 0.95, "lat": m * step, "text": _degrees(m * step, "N", "S")})
    return {"lon": round(lon, 4), "lat": round(lat, 4), "scale": round(scale, 2), "step": step, "ticks": ticks}


def _degrees(value: float, positive: str, negative: str) -> str:
    value = ((value + 180) % 360) - 180 if positive == "E" else value
    if value == 0:
        return "0°"
    return f"{abs(value):g}°{positive if value > 0 else negative}"


def _mechanism_labels(steps: list[Row]) -> dict[str, str]:
    """event_id -> a short unique axis label (the description, shortened)."""
    events = list(dict.fromkeys(s["event_id"] for s in steps))
    names = {s["event_id"]: s["mechanism"] or s["event_id"] for s in steps}
    return dict(zip(events, _unique([_shorten(names[e], 60) for e in events]), strict=True))


def _unique(labels: list[str]) -> list[str]:
    """The labels, a repeated one numbered ("x", "x (2)"): one axis row each."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def _institution_label(row: Row) -> str:
    name, acronym = row["name"], row["acronym"]
    label = f"{name} ({acronym})" if acronym and acronym.casefold() not in name.casefold() else name
    return _shorten(label, 60)


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _plain(row: Row) -> Row:
    """A row whose dates and instants are ISO strings and lists are lists (JSON for the spec)."""
    return {k: _instant(v) if isinstance(v, datetime) else v.isoformat() if isinstance(v, date) else v
            for k, v in row.items()}


def _instant(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return (value.date() if isinstance(value, datetime) else value).isoformat()
