"""Russian mechanism status and proposer: governing nouns of negotiation and intention,
coordinated mentions, and posts resolved only to a person named with the same post."""
from __future__ import annotations

from datetime import date

import pytest

from extraction.ru import extract_hits
from extraction.ru.nlp import models

PUB = date(2024, 5, 15)


@pytest.fixture(scope="session", autouse=True)
def natasha_models():
    return models()


def find(text: str, description: str):
    ms = extract_hits(text, PUB).mechanisms
    got = [m for m in ms if description in m.description]
    assert got, [m.description for m in ms]
    return got[0]


# text, description must contain, status, proposer (None: not checked)
CASES = [
    # negotiating or wishing to sign a document: a draft
    ["Делегации Армении и Ирана начали переговоры по заключению соглашения о свободной торговле.",
     "соглашения о свободной торговле", "proposed", None],
    ["Монголия и Вьетнам выразили заинтересованность в подписании дорожной карты по развитию туризма.",
     "дорожной карты по развитию туризма", "proposed", None],
    # the body works: it exists; work on a document is not a working body
    ["Министры решили оживить работу совместной комиссии по энергетике.",
     "совместной комиссии по энергетике", "existing", None],
    ["Министр экономики Грузии Леван Давиташвили призвал ускорить работу над соглашением о взаимной защите "
     "инвестиций.", "соглашением о взаимной защите инвестиций", "proposed", "Леван Давиташвили"],
    # a conjunct takes the status of the first conjunct, not of its head word
    ["Стороны провели раунд переговоров по заключению соглашения о визах и соглашения о реадмиссии.",
     "соглашения о реадмиссии", "proposed", None],
    # an intention of one party: that party proposes
    ["«Азербайджан планирует создать совместный инвестиционный фонд с Арменией», — сказал министр экономики "
     "Азербайджана Микаил Джаббаров.", "совместный инвестиционный фонд", "proposed", "Азербайджан"],
    ["Грузия инициировала подготовку соглашения о морском сообщении в Черном море.",
     "соглашения о морском сообщении", "proposed", "Грузия"],
    ["Литовская сторона выступила за создание совместной рабочей группы по энергетике.",
     "совместной рабочей группы по энергетике", "proposed", "Литва"],
    ["На переговорах речь шла о создании армяно-грузинского делового совета.",
     "армяно-грузинского делового совета", "proposed", None],
]


@pytest.mark.parametrize(("text", "description", "status", "proposer"), CASES)
def test_status_and_proposer(text, description, status, proposer):
    m = find(text, description)
    assert m.status.value == status
    if proposer is not None:
        assert m.proposer == proposer


def test_a_conjunct_cut_off_by_the_parser_shares_the_proposal():
    text = ("Президент Монголии Ухнаагийн Хурэлсух прибыл в Бишкек. В ходе визита глава Монголии предложил "
            "создать перекрестные торговые дома в Бишкеке и Улан-Баторе и кыргызско-монгольский деловой совет, "
            "в состав которого войдут представители крупных компаний.")
    m = find(text, "кыргызско-монгольский деловой совет")
    assert m.status.value == "proposed"
    assert m.proposer == "Ухнаагийн Хурэлсух"


def test_a_post_is_not_read_as_the_last_named_person():
    text = ("Мирзиёев провел телефонный разговор с президентом России Владимиром Путиным.\n"
            "Министр иностранных дел Казахстана предложил создать рабочую группу по водным ресурсам.")
    m = find(text, "рабочую группу по водным ресурсам")
    assert m.proposer != "Владимир Путин"
    assert m.proposer == "Казахстан"


def test_a_post_resolves_to_the_person_named_with_the_same_post():
    text = ("Министр иностранных дел Казахстана Мурат Нуртлеу встретился с президентом Киргизии Садыром Жапаровым.\n"
            "Глава МИД Казахстана предложил создать рабочую группу по водным ресурсам.")
    assert find(text, "рабочую группу по водным ресурсам").proposer == "Мурат Нуртлеу"
    text = ("Глава МИД Таджикистана Сироджиддин Мухриддин и министр иностранных дел Ирана Аббас Аракчи "
            "провели переговоры. Таджикский министр предложил создать совместный транспортный хаб.")
    assert find(text, "совместный транспортный хаб").proposer == "Сироджиддин Мухриддин"


def test_a_head_of_a_company_resolves_through_its_acronym():
    text = ("На форуме выступил председатель правления АО «Узбекистон темир йуллари» (УТЙ) Хусниддин Хакимов.\n"
            "Глава УТЙ предложил создать единую цифровую платформу для отслеживания вагонов.")
    assert find(text, "единую цифровую платформу").proposer == "Хусниддин Хакимов"


def test_a_list_item_takes_the_status_of_the_line_that_introduces_the_list():
    text = ("Министры подписали ряд документов.\nСтороны договорились о следующем:\n"
            "1. Создание рабочей группы по цифровизации таможни — для ускорения транзита.\n"
            "2. Создание совместного фонда поддержки фермеров.\n")
    assert find(text, "рабочей группы по цифровизации таможни").status.value == "agreed"
    assert find(text, "совместного фонда поддержки фермеров").status.value == "agreed"


def test_a_creation_nobody_reports_done_is_a_proposal():
    text = ("Министры уделили особое внимание созданию оптового логистического центра в Наманганской области "
            "для хранения зерна.")
    assert find(text, "оптового логистического центра").status.value == "proposed"


def test_a_capitalised_programme_is_a_named_document():
    text = "Премьер-министры отметили, что важно выполнить Программу расширения взаимной торговли до 2030 года."
    assert find(text, "Программу расширения взаимной торговли").status.value == "agreed"


def test_a_document_is_signed_not_created():
    text = ("Совет действует с 2017 года и был учрежден в соответствии с Меморандумом о сотрудничестве между "
            "министерствами Армении и Грузии.")
    assert find(text, "Меморандумом").status.value == "agreed"


def test_a_description_never_ends_inside_an_open_bracket():
    text = ("Армения планирует подписать с Грузией рамочное соглашение о совместной модернизации "
            "маршрута Север-Юг (МСЮ или Южный коридор). Это позволит увеличить грузооборот.")
    m = find(text, "рамочное соглашение о совместной модернизации")
    for op, cl in (("(", ")"), ("«", "»")):
        assert m.description.count(op) == m.description.count(cl)
    assert m.status.value == "proposed" and m.proposer == "Армения"


def test_a_generic_plural_is_not_a_mechanism():
    text = "Мы рассчитываем на отдачу от прочих межгосударственных механизмов, в том числе Инвестиционного совета."
    ms = extract_hits(text, PUB).mechanisms
    assert not any("механизмов" in m.description for m in ms)


def test_a_quoted_proposal_by_an_unnamed_post_is_not_given_to_the_last_named_person():
    text = ("Касым-Жомарт Токаев провел переговоры с Садыром Жапаровым. «Мы предлагаем создать совместную рабочую "
            "группу по водным ресурсам», — сказал глава МИД Киргизии.")
    m = find(text, "совместную рабочую группу по водным ресурсам")
    assert m.proposer not in ("Садыр Жапаров", "Касым-Жомарт Токаев")
    text = ("Касым-Жомарт Токаев провел переговоры с Садыром Жапаровым. Глава государства предложил создать "
            "совместную рабочую группу по водным ресурсам.")
    assert find(text, "совместную рабочую группу по водным ресурсам").proposer is None


def test_a_quoted_proposal_by_a_post_resolves_to_the_head_of_the_named_body():
    text = ("Министр провел переговоры с директором Агентства по развитию атомной энергетики при Министерстве "
            "энергетики Узбекистана («Узатом») Шерзодом Абдувахобовым.\n"
            "«Мы предлагаем открыть в Ташкенте отраслевой учебный центр», – сказал глава «Узатома».")
    assert find(text, "отраслевой учебный центр").proposer == "Шерзод Абдувахобов"


def test_a_council_of_heads_of_regions_is_a_mechanism_but_not_an_organ_of_heads_of_state():
    text = "Главы государств договорились о создании Совета глав приграничных регионов Казахстана и Киргизии."
    assert find(text, "Совета глав приграничных регионов").status.value == "agreed"
    for text in ("В Минске прошло заседание Совета глав государств СНГ.",
                 "Премьер-министр примет участие в заседании Совета глав правительств государств – членов ШОС."):
        assert not extract_hits(text, PUB).mechanisms


def test_by_the_proposal_of_names_the_proposer():
    text = "По предложению Узбекистана стороны учредили совместный инвестиционный фонд."
    m = find(text, "совместный инвестиционный фонд")
    assert m.status.value == "established" and m.proposer == "Узбекистан"
