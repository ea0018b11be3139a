"""Analyst reports: one self-contained HTML file of charts and tables over the warehouse (reports.html)."""
