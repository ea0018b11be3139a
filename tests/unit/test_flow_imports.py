"""What the flow process imports to run: never the extractors' models nor the page extractor.

The flow process only fetches, loads and resolves; the models live in the extraction workers
and trafilatura in the page extraction pool. Each of these imports would cost every run's start
(natasha and slovnet 0.5 s, spaCy more, trafilatura 85 ms, setuptools' pkg_resources 0.3 s).
"""
from __future__ import annotations

import subprocess
import sys

NOT_IN_THE_FLOW = ("natasha", "slovnet", "navec", "spacy", "trafilatura", "pkg_resources")


def test_the_cli_and_the_flow_import_no_model_and_no_page_extractor() -> None:
    code = ("import sys; import flows.cli, flows.ingest, flows.resolution, feeds.pages; "
            f"print(sorted(m for m in {NOT_IN_THE_FLOW!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "[]"


def test_the_page_extractor_still_extracts_once_imported_late() -> None:
    from feeds.pages import extract_main_text
    html = ("<html><body><nav>Menu</nav><article><h1>Summit</h1>"
            + "<p>The presidents met in Astana to discuss regional transport corridors and trade.</p>" * 5
            + "</article></body></html>")
    text = extract_main_text(html)
    assert text is not None and "The presidents met in Astana" in text and "Menu" not in text
