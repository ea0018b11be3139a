"""flows/resolution.py: the resolution's indexes load in a background thread while a run extracts."""
from __future__ import annotations

import logging

from extraction import countries, geocode, persons
from flows import resolution


def test_the_warm_up_loads_the_indexes_the_resolution_needs_first():
    countries._lemma_index.cache_clear()
    persons._actors_by_key.cache_clear()
    resolution.start_warm_up().join(timeout=120)
    assert countries._lemma_index.cache_info().currsize == 1
    assert persons._actors_by_key.cache_info().currsize == 1
    assert geocode._gazetteer.cache_info().currsize == 1
    assert countries.country_code("Кыргызской Республики") == "KG"


def test_a_failed_warm_up_is_logged_and_left_to_the_resolution(monkeypatch, caplog):
    def broken() -> None:
        raise OSError("no space left on device")
    monkeypatch.setattr(resolution, "warm_up", broken)
    with caplog.at_level(logging.WARNING, logger="eventwire.progress"):
        resolution.start_warm_up().join(timeout=10)
    assert "OSError: no space left on device" in caplog.text
