"""Russian mechanism rules: golden [text, expected] cases on fictional sentences, and the seed article."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from extraction.ru import extract_hits
from extraction.ru.nlp import models

PUB = date(2024, 5, 15)
SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seed-article.txt"


@pytest.fixture(scope="session", autouse=True)
def natasha_models():
    return models()


def mechanisms(text: str):
    return extract_hits(text, PUB).mechanisms


# text, description must contain, status, proposer
CASES = [
    ["Министр энергетики Казахстана Ержан Алиев предложил создать региональный энергетический хаб в Актау.",
     "региональный энергетический хаб", "proposed", "Ержан Алиев"],
    ["Министры договорились создать площадку для обмена опытом в сфере цифровизации.",
     "площадку для обмена опытом", "agreed", None],
    ["Стороны подписали дорожную карту по развитию транспортного коридора между Казахстаном и Китаем.",
     "дорожную карту по развитию транспортного коридора", "agreed", None],
    ["В прошлом году в Ташкенте был создан международный фонд поддержки фермеров.",
     "международный фонд поддержки фермеров", "established", None],
    ["Министры утвердили план совместных действий на 2025-2027 годы.",
     "план совместных действий", "agreed", None],
    ["Работа ведется в рамках действующего механизма консультаций министерств иностранных дел.",
     "механизма консультаций министерств иностранных дел", "existing", None],
    ["Глава государства Марат Бекенов призвал сформировать региональную платформу обмена данными о паводках.",
     "региональную платформу обмена", "proposed", "Марат Бекенов"],
    ["На встрече министров планируется обсудить создание регионального центра по борьбе с лесными пожарами.",
     "регионального центра по борьбе с лесными пожарами", "proposed", None],
    ["Министерства договорились подготовить меморандум о сотрудничестве в области цифровых финансов.",
     "меморандум о сотрудничестве в области цифровых финансов", "proposed", None],
    ["Для этого будет создана совместная рабочая группа экспертов двух министерств.",
     "совместная рабочая группа экспертов", "agreed", None],
    ["Таджикская сторона предложила создать совместное предприятие для переработки хлопка в Худжанде.",
     "совместное предприятие для переработки хлопка", "proposed", "Таджикистан"],
    ["Вице-премьер Ильдар Каримов предложил создать сеть агрохабов, связанных с приграничными рынками.",
     "сеть агрохабов, связанных с приграничными рынками", "proposed", "Ильдар Каримов"],
    ["Узбекская сторона выступила с инициативой создать совместный инвестиционный фонд.",
     "совместный инвестиционный фонд", "proposed", "Узбекистан"],
    ["Предложение Рустама Эргашева о создании регионального энергетического хаба поддержали все стороны.",
     "регионального энергетического хаба", "proposed", "Рустам Эргашев"],
    ["По словам Рустама Эргашева, необходимо создать совместную рабочую группу по водным ресурсам.",
     "совместную рабочую группу по водным ресурсам", "proposed", "Рустам Эргашев"],
    ["По инициативе президента Аслана Бекмуратова был создан международный фонд поддержки молодежи.",
     "международный фонд поддержки молодежи", "established", "Аслан Бекмуратов"],
    ["Стороны решили создать совместную рабочую группу по энергетике.",
     "совместную рабочую группу по энергетике", "agreed", None],
    ["Стороны не договорились о создании совместного фонда развития.",
     "совместного фонда развития", "proposed", None],
    ["Готовится проект соглашения о свободной торговле услугами.",
     "соглашения о свободной торговле услугами", "proposed", None],
    ["Совместный инвестиционный фонд начал работу в прошлом месяце.",
     "Совместный инвестиционный фонд", "established", None],
    ["Рабочая группа по водным ресурсам работает уже пять лет.",
     "Рабочая группа по водным ресурсам", "existing", None],
    ["Очередное заседание Межправительственной комиссии по торговому сотрудничеству прошло в Бишкеке.",
     "Межправительственной комиссии по торговому сотрудничеству", "existing", None],
    ["Министры предложили поручить проработку вопроса Региональному центру гидрологии.",
     "Региональному центру гидрологии", "existing", None],
]


@pytest.mark.parametrize(("text", "description", "status", "proposer"), CASES)
def test_mechanism(text, description, status, proposer):
    ms = mechanisms(text)
    assert len(ms) == 1, [m.description for m in ms]
    m = ms[0]
    assert description in m.description
    assert m.status.value == status
    assert m.proposer == proposer
    assert text[m.start:m.end] == m.description


@pytest.mark.parametrize("text", [
    "Центр города закрыт для проезда транспорта.",
    "Соглашение было подписано по инициативе президента.",
    "Механизм.",
    "Выставка в Алматы является хорошей площадкой для знакомства с новыми технологиями.",
    "По словам министра, форум стал удобной платформой для диалога бизнеса и власти.",
])
def test_no_mechanism(text):
    assert mechanisms(text) == []


def test_quote_attribution_resolves_a_post_to_the_named_person():
    text = ("Президент Киргизии Арслан Токтогулов выступил на форуме. "
            "\"Важно выработать общий механизм мониторинга ледников. Это в наших общих интересах\", - сказал "
            "президент.")
    ms = mechanisms(text)
    assert [(m.status.value, m.proposer) for m in ms] == [("proposed", "Арслан Токтогулов")]
    assert "механизм мониторинга ледников" in ms[0].description


def test_mentions_merge_and_a_later_mention_decides():
    text = ("Торжественная церемония прошла в логистическом хабе в городе Навои. "
            "Хаб был открыт в 2021 году по инициативе правительства.")
    ms = mechanisms(text)
    assert len(ms) == 1 and ms[0].status.value == "established"


def test_a_format_inside_a_meeting_name_is_not_a_mechanism():
    assert mechanisms("Министры провели встречу в формате \"пять плюс один\" в Астане.") == []


def test_an_amended_agreement_exists_and_the_signed_protocol_is_agreed():
    ms = mechanisms("Был подписан протокол о внесении изменений в Соглашение о торговле зерном от 5 мая 2010 года.")
    by = {m.description.split()[0]: m.status.value for m in ms}
    assert by == {"протокол": "agreed", "Соглашение": "existing"}


def test_a_participle_the_parser_hung_on_the_next_noun_still_decides():
    ms = mechanisms("Стороны обсудили ход реализации плана совместных действий на 2025-2027 годы, принятого по итогам "
                    "саммита в Бишкеке, а также инициатив, выдвинутых лидерами стран.")
    by = {m.description.split()[0]: m.status.value for m in ms}
    assert by.get("плана") == "agreed"


@pytest.mark.skipif(not SEED.is_file(), reason="seed article not present")
def test_seed_article():
    ms = mechanisms(SEED.read_text(encoding="utf-8"))
    by = {m.description: m for m in ms}
    response = next(m for d, m in by.items() if "механизм реагирования" in d)
    assert response.status.value == "proposed" and response.proposer == "Касым-Жомарт Токаев"
    series = next(m for d, m in by.items() if d.startswith("механизм встреч секретарей советов безопасности"))
    assert series.status.value == "existing" and series.proposer is None
    hub = next(m for d, m in by.items() if "хаба Организации Объединенных Наций" in d)
    # "создаваемого в Алматы": the annotated dev set marks a hub being created as agreed
    assert hub.status.value == "agreed"


# ------------------------------------------------------------------ meeting triggers (meeting_lexicon, its data)

@pytest.mark.parametrize("text", [
    "Президенты двух стран могут провести двустороннюю встречу в Бишкеке.",
    "Министр не исключил встречи с коллегой из Кыргызстана.",
    "Эксперты обсуждают возможную встречу президентов России и Казахстана.",
    "Лидеры могли бы встретиться в Астане в следующем месяце.",
    "Министр допустил возможность встречи с представителями оппозиции.",
    "Следующую встречу сборная Узбекистана проведет в сентябре против команды Ирана.",
    "Матч посетили около 20 тысяч зрителей.",
])
def test_no_meeting(text):
    assert extract_hits(text, PUB).meetings == []


@pytest.mark.parametrize("text", [
    "Встреча президентов состоится 5 мая в Астане. На встрече могут быть подписаны соглашения о торговле.",
    "Главы правительств смогут обсудить эти вопросы на встрече в Минске 10 июня.",
])
def test_a_modal_elsewhere_keeps_the_meeting(text):
    assert len(extract_hits(text, PUB).meetings) >= 1


def test_a_video_link_is_the_mode_of_the_meeting_not_another_one():
    hits = extract_hits("Заседание совместной комиссии прошло в среду в режиме видеоконференции.", PUB)
    assert len(hits.meetings) == 1


def test_a_dateline_agency_is_not_the_proposer():
    found = mechanisms("АЛМАТЫ, 13 ноября. ИНТЕРФАКС-КАЗАХСТАН – Премьер-министр Казахстана Арман Сейтказиев "
                       "предложил создать единую цифровую платформу для транзита грузов. \"Единая платформа "
                       "сопровождения транзита позволит сократить сроки\", – заявил премьер.")
    assert [(m.status, m.proposer) for m in found] == [("proposed", "Арман Сейтказиев")]


def test_we_proposed_takes_the_speaker_of_the_quote():
    found = mechanisms("Министр экономики Грузии Нодар Беридзе провел заседание комиссии. \"Мы предложили партнерам "
                       "создать совместный логистический центр на станции Марабда\", – сказал Беридзе.")
    assert [(m.status, m.proposer) for m in found] == [("proposed", "Нодар Беридзе")]


@pytest.mark.parametrize("text,status", [
    ["Стороны договорились создать единый реестр недобросовестных перевозчиков.", "agreed"],
    ["Министры утвердили Концепцию сотрудничества в сфере энергетики до 2030 года.", "agreed"],
    ["Стороны предложили учредить совместный пограничный комиссариат.", "proposed"],
])
def test_new_mechanism_heads(text, status):
    assert [m.status for m in mechanisms(text)] == [status]


@pytest.mark.parametrize("text,count", [
    ["Стороны создадут трехстороннюю рабочую группу по газовому сотрудничеству.", 1],
    ["Министры поручили экспертной подгруппе по тарифам подготовить предложения.", 1],
    ["Стороны договорились внедрить единую электронную очередь для грузовиков.", 1],
    ["В Баку прошло заседание Специальной рабочей группы.", 0],
])
def test_working_groups_and_queues(text, count):
    assert len(mechanisms(text)) == count


@pytest.mark.parametrize("text,status", [
    ["Стороны планируют подписать межправительственное соглашение о строительстве дороги.", "proposed"],
    ["Меморандум о подготовке кадров будет подписан в ходе визита.", "proposed"],
    ["Министры обороны одобрят План сотрудничества на 2026 год.", "proposed"],
    ["Стороны подписали меморандум о сотрудничестве в энергетике.", "agreed"],
])
def test_a_document_still_to_be_signed_is_proposed(text, status):
    assert [m.status for m in mechanisms(text)] == [status]


def test_kotoryi_proposes_as_its_antecedent():
    found = mechanisms("Министр Кубанычбек Асанов провел переговоры с министром энергетики Узбекистана Сергеем Ивановым, "
                       "который предложил создать совместный водный центр.")
    assert [(m.status, m.proposer) for m in found] == [("proposed", "Сергей Иванов")]
