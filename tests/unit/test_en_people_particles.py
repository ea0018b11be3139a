"""Person names with lower-case particles ("von der", "de"), on fictional sentences written for these tests."""
from __future__ import annotations

from datetime import date

import pytest

from extraction.en import extract_hits
from extraction.en.nlp import pipeline


@pytest.fixture(scope="session", autouse=True)
def en_models():
    return pipeline()


def test_a_name_runs_across_particles_and_a_short_form_resolves_to_it():
    text = ("The summit was attended by Commission President Helga von der Brucke. Von der Brucke proposed a "
            "joint fund for green hydrogen projects.")
    found = extract_hits(text, date(2024, 5, 15)).mechanisms
    assert [m.proposer for m in found] == ["Helga von der Brucke"]


def test_a_particle_alone_is_not_a_name():
    text = "President Arman Beketov spoke of the fund. The head of the fund proposed a roadmap for de-mining work."
    found = extract_hits(text, date(2024, 5, 15)).mechanisms
    assert all(m.proposer in (None, "Arman Beketov") for m in found)
