"""Rules of the English mechanism extractor, on fictional sentences written for these tests."""
from __future__ import annotations

from datetime import date

import pytest

from extraction.en import extract_hits
from extraction.en.nlp import pipeline


@pytest.fixture(scope="session", autouse=True)
def en_models():
    return pipeline()


def mechanisms(text: str):
    return extract_hits(text, date(2024, 5, 15)).mechanisms


CASES = [
    # description from the tree, status from the governing words, proposer from the subject
    ["President Arman Beketov proposed the creation of a regional platform for water diplomacy.",
     "platform for water diplomacy", "proposed", "Arman Beketov"],
    ["Uzbekistan called for a new mechanism of transit coordination in the region.",
     "mechanism of transit coordination", "proposed", "Uzbekistan"],
    # quote attribution ("..., X said") and the full name given earlier
    ["Timur Rashidov opened the forum. \"We need to establish a joint investment fund for green energy "
     "projects,\" Rashidov said.", "investment fund for green energy projects", "proposed", "Timur Rashidov"],
    # a bare post resolves to the named person
    ["President Dovlet Berdiyev met the delegation. The president suggested a roadmap for digital customs.",
     "roadmap for digital customs", "proposed", "Dovlet Berdiyev"],
    ["The initiative on clean rivers, proposed by Kyrgyzstan, was endorsed by the ministers.",
     "initiative on clean rivers", "agreed", "Kyrgyzstan"],
    # agreed / established / existing
    ["The parties signed a memorandum of understanding on railway transit.",
     "memorandum of understanding on railway transit", "agreed", None],
    ["The leaders agreed to create a joint commission on border demarcation.",
     "commission on border demarcation", "agreed", None],
    ["The newly launched Caspian Logistics Hub will serve exporters.", "Caspian Logistics Hub", "established", None],
    ["The joint working group on water allocation will continue its work.",
     "working group on water allocation", "existing", None],
    ["The talks were held within the Astana format on regional security.", "Astana format",
     "existing", None],
    # a portfolio in the title is not part of the name; passive and noun proposals
    ["Minister of Water Resources and Irrigation Daulet Omarov proposed a basin council for the upper river.",
     "basin council for the upper river", "proposed", "Daulet Omarov"],
    ["The idea of a regional seed bank network was put forward by Foreign Minister Aliya Nurova.",
     "regional seed bank network", "proposed", "Aliya Nurova"],
    ["President Bakyt Sadykov spoke in Osh. Sadykov's proposal to create a mountain tourism fund was welcomed.",
     "mountain tourism fund", "proposed", "Bakyt Sadykov"],
    ["The council on river transport was created at the initiative of Prime Minister Olim Karimov.",
     "council on river transport", "established", "Olim Karimov"],
    ["The initiative of the Tajik side to establish a joint hydropower fund was discussed.",
     "joint hydropower fund", "proposed", "Tajikistan"],
    ["According to Deputy Minister Farid Aliyev, a working group on grain transit should be formed.",
     "working group on grain transit", "proposed", "Farid Aliyev"],
    ["Kyrgyz President Almaz Temirov spoke first. Temirov put forward an initiative to create a seed council.",
     "seed council", "proposed", "Almaz Temirov"],
    ["The Caspian Investment Bank opened an office in Baku. The bank proposed a regional grain fund for farmers.",
     "regional grain fund for farmers", "proposed", "Caspian Investment Bank"],
    # a plan stated as fact is agreed; a body that meets or operates exists
    ["The two railways will set up a joint venture to lease wagons.", "joint venture to lease wagons", "agreed", None],
    ["The ministers prepared the next meeting of the intergovernmental commission on transport.",
     "intergovernmental commission on transport", "existing", None],
    ["The Kazakh-Uzbek business council, which operates in Tashkent, met again.",
     "business council", "existing", None],
]


@pytest.mark.parametrize("text,description,status,proposer", CASES)
def test_mechanism(text, description, status, proposer):
    found = [m for m in mechanisms(text) if description in m.description]
    assert len(found) == 1, [(m.description, m.status) for m in mechanisms(text)]
    m = found[0]
    assert (m.status.value if hasattr(m.status, "value") else m.status, m.proposer) == (status, proposer)


NONE = [
    # never a bare head, a format only named inside a meeting's name, an idiom
    "The centre will open soon.",
    "A meeting of the Astana format was held in Almaty.",
    "Cooperation develops in the framework of friendly relations.",
    "He thanked them for their partnership.",
    "The Council of Elders adopted a resolution.",
]


@pytest.mark.parametrize("text", NONE)
def test_not_a_mechanism(text):
    assert mechanisms(text) == []


def test_a_date_does_not_extend_the_description():
    found = mechanisms("The partners launched a digital platform for cargo clearance on Monday.")
    assert [m.description for m in found] == ["a digital platform for cargo clearance"]


def test_mentions_of_one_mechanism_merge():
    text = ("Ministers discussed the Caspian Logistics Hub for transit cargo. "
            "The Caspian Logistics Hub for transit cargo was launched last year.")
    assert len(mechanisms(text)) == 1


@pytest.mark.parametrize("text,status", [
    # a document still to be signed is proposed, a signed one agreed
    ["The commission discussed a draft intergovernmental agreement on the Syr Darya's water.", "proposed"],
    ["The two sides are expected to sign an agreement on a joint power plant.", "proposed"],
    ["A roadmap on grid cooperation is being finalized and would be signed in June, the minister said.", "proposed"],
    ["Kazakhstan and Turan signed an agreement on a joint power plant on Monday.", "agreed"],
    ["The ministers approved a common methodology for calculating transit tariffs.", "agreed"],
])
def test_document_status(text, status):
    found = mechanisms(text)
    assert [m.status for m in found] == [status]


@pytest.mark.parametrize("text,proposer", [
    # a capital standing for its country; new heads: secretariat, industrial park, trade house
    ["Ankara has proposed setting up a permanent secretariat for the transport format.", "Turkey"],
    ["Tashkent proposed creating a joint industrial park near the border.", "Uzbekistan"],
    ["Bishkek suggested opening a trade house in Almaty.", "Kyrgyzstan"],
])
def test_a_capital_proposes_for_its_country(text, proposer):
    found = mechanisms(text)
    assert [(m.status, m.proposer) for m in found] == [("proposed", proposer)]


def test_the_article_spelling_of_a_country_is_kept():
    text = "Ankara has proposed a joint secretariat. The ministers of Azerbaijan and Türkiye will meet on Friday."
    hits = extract_hits(text, date(2024, 5, 15))
    assert hits.mechanisms[0].proposer == "Türkiye"
    assert "Türkiye" in [p.name for p in hits.meetings[0].participants]


def test_a_bare_reference_joins_the_named_mechanism_or_is_dropped():
    found = mechanisms("The sides agreed to raise the capital of the Turan-Steppe Investment Fund. The fund, set up "
                       "in 2022, has financed 14 projects.")
    assert len(found) == 1 and "Investment Fund" in found[0].description
    assert mechanisms("The fund has financed 14 projects since 2022.") == []


@pytest.mark.parametrize("text", [
    "The platform will finance energy and infrastructure projects.",
    "The bank supports regional trade facilitation programs.",
])
def test_bare_plurals_are_things_in_general(text):
    assert all("projects" not in m.description and "programs" not in m.description for m in mechanisms(text))


def test_named_plural_documents_with_a_complement_are_kept():
    found = mechanisms("The ministers signed programs for developing trade in farm produce and textiles.")
    assert [m.status for m in found] == ["agreed"]


def test_a_union_executive_commission_is_an_organ_not_a_mechanism():
    assert mechanisms("The European Commission proposed new rules on transit.") == []
    assert len(mechanisms("The Interstate Coordination Water Commission will meet in Khujand.")) == 1


@pytest.mark.parametrize("text,descriptions", [
    ["They proposed a trilateral hotline to report incidents and a joint monitoring group for the border area.",
     ["a trilateral hotline to report incidents", "a joint monitoring group for the border area"]],
    ["The sides agreed to introduce an open skies regime for carriers of the two countries.",
     ["an open skies regime for carriers of the two countries"]],
    ["The Working Party on the Accession of Turan will meet in Geneva.", ["The Working Party on the Accession of Turan"]],
    ["They agreed to hold regular meetings of the security council secretaries.",
     ["regular meetings of the security council secretaries"]],
    ["There are no such plans, the minister said.", []],
])
def test_new_heads_and_conjoined_mechanisms(text, descriptions):
    assert [m.description for m in mechanisms(text)] == descriptions


@pytest.mark.parametrize("text,description", [
    ["The companies signed a supplementary agreement to the oil transit contract for 2026-2027.",
     "a supplementary agreement to the oil transit contract for 2026-2027"],
    ["KMG proposed creating a joint working group with Transneft and PCK to plan deliveries.",
     "a joint working group with Transneft and PCK to plan deliveries"],
])
def test_complements_the_parser_hung_on_the_verb(text, description):
    assert [m.description for m in mechanisms(text)] == [description]


def test_a_predicate_describing_a_mechanism_is_not_another_one():
    found = mechanisms("Launched in 2015, the Steppe Five format has become the main platform for engagement with "
                       "the region.")
    assert not any("platform" in m.description for m in found)


def test_who_proposes_is_the_antecedent_and_a_body_that_will_meet_exists():
    found = mechanisms("Deputy Minister Kubanych Asanov spoke with Uzbekistan's Deputy Minister of Energy Sardor Yuldashev, "
                       "who suggested replacing the annual protocols with a five-year water and energy agreement.")
    assert [(m.status, m.proposer) for m in found if "five-year" in m.description] == [("proposed", "Sardor Yuldashev")]
    found = mechanisms("The Working Party on the Accession of Turan will meet in Geneva in December.")
    assert [m.status for m in found] == ["existing"]
