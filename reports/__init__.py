"""Analyst reports: one self-contained HTML file of charts and tables over the warehouse.

``queries/*.sql`` (one question each, $since/$until/$language parameters) → ``data`` (plain rows)
→ ``charts`` (Altair / Vega-Lite specs; ``layout`` places the network's nodes) → ``html``
(``write_report``: the page, Vega inlined from vl-convert, ``templates/report.html``).
"""
