"""Russian meeting rules: golden [text, expected] cases on fictional sentences, and the seed article."""
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


def meetings(text: str, published: date | None = PUB):
    return extract_hits(text, published).meetings


def one(text: str, published: date | None = PUB):
    ms = meetings(text, published)
    assert len(ms) == 1, [m.name for m in ms]
    return ms[0]


# text, kind, status, date (iso prefix or None), location
CASES = [
    ["Президент Узбекистана Бахтияр Рахимов провел переговоры с премьер-министром Грузии Ираклием Нодиа в Ташкенте.",
     "talks", "past", None, "Ташкент"],
    ["Вчера в Кремле состоялась встреча президента России Игоря Семенова с главой Туркменистана Арсланом Оразовым.",
     "meeting", "past", "2024-05-14", "Москва"],
    ["Саммит ШОС пройдет в октябре в Бишкеке.", "summit", "planned", "2024-10", "Бишкек"],
    ["Заседание межправительственной комиссии прошло в Подмосковье 12 марта.", "session", "past", "2024-03-12",
     "Россия"],
    ["Министры иностранных дел Армении и Азербайджана встретятся в Женеве на следующей неделе.", "meeting",
     "planned", "2024-05", "Женева"],
    ["Стороны обсудили по телефону вопросы двустороннего сотрудничества.", "call", "past", None, None],
    ["Глава государства Марат Бекенов прибыл в Баку с официальным визитом.", "visit", "ongoing", "2024-05-15",
     "Баку"],
    ["Сегодня в Ашхабаде проходит международный форум по энергетике.", "forum", "ongoing", "2024-05-15",
     "Ашхабад"],
    ["Следующее заседание совета министров обороны пройдет в апреле следующего года в Минске.", "session",
     "planned", "2025-04", "Минск"],
    ["Очередное заседание совета директоров банка решено провести в сентябре в Самарканде.", "session", "planned",
     "2024-09", "Самарканд"],
    ["Об этом сообщил глава компании Иван Петров по итогам переговоров с вице-президентом концерна Ли Вэем, "
     "которые прошли в понедельник в Пекине.", "talks", "past", "2024-05-13", "Пекин"],
    ["Визит министра обороны Сербии Марко Илича в Минск продлится до пятницы.", "visit", "ongoing", "2024-05-15",
     "Минск"],
    ["Накануне в Ташкенте состоялось заседание совета управляющих фонда.", "session", "past", "2024-05-14",
     "Ташкент"],
]


@pytest.mark.parametrize(("text", "kind", "status", "day", "location"), CASES)
def test_meeting_attributes(text, kind, status, day, location):
    m = one(text)
    assert m.kind.value == kind
    assert m.status.value == status
    assert (m.start_date.isoformat() if m.start_date else None) == (
        None if day is None else m.start_date.isoformat()) and (day is None or m.start_date.isoformat().startswith(day))
    assert m.location == location
    assert m.rule_id.startswith("ru.meeting.")
    assert m.sentence.start <= m.start < m.end <= m.sentence.end


@pytest.mark.parametrize("text", [
    "Лидеры могли бы встретиться в следующем году.",
    "Механизм встреч министров обороны доказал свою эффективность.",
    "Цены на бензин выросли на три процента.",
    "Делегаты вошли в зал заседаний.",
])
def test_no_meeting(text):
    assert meetings(text) == []


def test_dateline_city_is_not_the_location_and_past_meeting_gets_no_dateline_date():
    m = one("ДУШАНБЕ, 14 мая. /ТАСС/. Министры обороны двух стран провели переговоры.")
    assert m.location is None and m.start_date is None and m.status.value == "past"


def test_participants_persons_and_countries():
    m = one("Президент России Игорь Семенов обсудил по телефону с лидером Узбекистана Рустамом Алиевым торговлю.")
    names = {p.name for p in m.participants}
    assert {"Игорь Семенов", "Рустам Алиев", "Россия", "Узбекистан"} <= names
    assert m.kind.value == "call"


def test_compound_adjective_countries():
    m = one("Состоялись российско-киргизские переговоры на высшем уровне.")
    assert {p.name for p in m.participants} >= {"Россия", "Киргизия"}


def test_mentions_merge_into_one_row():
    text = ("В Москве прошли консультации заместителей министров иностранных дел. "
            "Во встрече приняли участие послы. Встреча прошла в конструктивной атмосфере.")
    m = one(text)
    assert m.location == "Москва" and len(m.mentions) == 3


def test_visit_and_talks_are_two_meetings():
    text = ("Президент Казахстана Марат Бекенов прибыл в Ереван с государственным визитом. "
            "В Ереване начались двусторонние переговоры.")
    kinds = sorted(m.kind.value for m in meetings(text))
    assert kinds == ["talks", "visit"]


def test_planned_and_past_sessions_stay_apart():
    text = ("Следующее заседание Совета министров культуры пройдет 17 апреля 2025 года в Казани. "
            "Об этом сообщили по итогам заседания 9 мая в Минске.")
    ms = sorted(meetings(text), key=lambda m: m.start_date)
    assert [(m.status.value, m.start_date.isoformat(), m.location) for m in ms] == [
        ("past", "2024-05-09", "Минск"), ("planned", "2025-04-17", "Казань")]


def test_summit_of_heads_of_state():
    m = one("В прошлом году на встрече глав государств региона в Ашхабаде стороны подписали декларацию.")
    assert m.kind.value == "summit" and m.location == "Ашхабад"


@pytest.mark.skipif(not SEED.is_file(), reason="seed article not present")
def test_seed_article():
    ms = meetings(SEED.read_text(encoding="utf-8"), date(2023, 6, 23))
    assert len(ms) == 2, [m.name for m in ms]
    now = next(m for m in ms if "данная встреча" in m.name)
    assert now.status.value == "ongoing" and now.start_date == date(2023, 6, 23)
    summit = next(m for m in ms if m is not now)
    assert summit.status.value == "past" and summit.kind.value == "summit"
    assert summit.start_date == date(2022, 10, 1) and summit.date_precision.value == "month"
    assert summit.location == "Астана"
    assert "встрече глав государств" in summit.name


def test_oblique_person_names_are_nominative():
    m = one("Министр финансов провел переговоры с председателем правления банка Русланом Ахметжановым "
            "и с заместителем министра Гульнарой Бекмурзаевой.")
    names = {p.name for p in m.participants}
    assert {"Руслан Ахметжанов", "Гульнара Бекмурзаева"} <= names


def test_a_regular_series_is_not_a_meeting():
    assert meetings("Рабочая группа по водным ресурсам проводит заседания раз в квартал.") == []
    assert meetings("Министры ежегодно проводят консультации по вопросам безопасности.") == []


def test_capital_of_a_country_and_the_next_round():
    m = one("Следующий раунд переговоров стороны намерены провести в июне в столице Армении.")
    assert (m.kind.value, m.status.value, m.location, str(m.start_date)[:7]) == ("talks", "planned", "Ереван",
                                                                                  "2024-06")


def test_title_affiliations_join_the_participants():
    m = one("Во вторник министр энергетики Таджикистана Фаррух Назаров провел переговоры с "
            "генеральным директором компании «Энергосеть» Олегом Ветровым в Душанбе.")
    names = {p.name for p in m.participants}
    assert {"Фаррух Назаров", "Олег Ветров", "Таджикистан"} <= names
    assert m.location == "Душанбе" and str(m.start_date) == "2024-05-14"


def test_a_connector_noun_brings_the_verb_date_and_place():
    m = one("Соглашение было подписано в пятницу в Баку по итогам встречи министров транспорта двух стран.",
            date(2024, 5, 20))
    assert (m.location, str(m.start_date), m.kind.value) == ("Баку", "2024-05-17", "meeting")


def test_an_upcoming_summit_refers_to_the_announced_one():
    ms = meetings("Министры обсудили подготовку третьего саммита «Азия – Океания», который пройдет в Бангкоке в "
                  "августе. Экспертам поручили подготовить проекты документов к предстоящему саммиту.")
    assert len(ms) == 1, [m.name for m in ms]
    assert ms[0].location == "Бангкок" and str(ms[0].start_date).startswith("2024-08")


def test_a_count_of_parties_refers_to_the_countries_named_before():
    ms = meetings("Министры сельского хозяйства Болгарии и Румынии подписали меморандум. Напомним, вопросы торговли "
                  "обсуждались на встрече глав двух государств в Софии в марте прошлого года.")
    m = next(x for x in ms if "глав двух государств" in x.name)
    assert {p.name for p in m.participants} == {"Болгария", "Румыния"}


def test_the_next_session_inherits_the_parties_of_the_one_before():
    ms = meetings("Заседание совместной комиссии Эстонии и Латвии по демаркации границы прошло в Валге. "
                  "Следующее заседание комиссии пройдет осенью.")
    assert len(ms) == 2, [m.name for m in ms]
    assert {p.name for p in ms[1].participants} >= {"Эстония", "Латвия"}


def test_attendees_named_through_a_pronoun_in_the_next_sentence():
    ms = meetings("Заседание совета директоров проходит в четверг в Риге. В нем участвуют главы правительств Латвии, "
                  "Литвы и Эстонии.", date(2025, 2, 27))
    assert len(ms) == 1
    assert {p.name for p in ms[0].participants} >= {"Латвия", "Литва", "Эстония"}


def test_a_visit_includes_the_host_country_under_the_articles_name():
    ms = meetings("Президент Таджикистана Рустам Каримов прибыл в Бишкек с государственным визитом. Киргизия и "
                  "Таджикистан подпишут договор.")
    v = next(m for m in ms if m.kind.value == "visit")
    assert {"Таджикистан", "Киргизия"} <= {p.name for p in v.participants}


def test_acronym_and_full_name_mentions_are_one_meeting():
    ms = meetings("Министры могут встретиться на полях саммита глав государств ШОС в Бишкеке. Саммит глав государств "
                  "Шанхайской организации сотрудничества (ШОС) запланирован на 10 октября в Бишкеке.")
    summits = [m for m in ms if m.kind.value == "summit"]
    assert len(summits) == 1, [m.name for m in summits]
    assert summits[0].status.value == "planned" and str(summits[0].start_date) == "2024-10-10"


def _names(m) -> set[str]:
    return {p.name for p in m.participants}


def test_delegation_heads_in_the_next_sentence_take_part():
    m = one("Переговоры министров транспорта двух стран прошли во вторник в Тбилиси. Грузинскую делегацию "
            "возглавил министр Давид Кипиани, армянскую – министр Гнел Саакян.")
    assert {"Давид Кипиани", "Гнел Саакян", "Грузия", "Армения"} <= _names(m)


def test_chair_and_participant_named_with_a_preposition():
    assert "Олжас Бектенов" in _names(one("Совещание прошло в Астане под председательством премьер-министра "
                                          "Казахстана Олжаса Бектенова."))
    assert "Алибек Куантыров" in _names(one("Форум прошел с участием министра экономики Казахстана "
                                            "Алибека Куантырова."))


def test_co_chairs_who_held_the_session_take_part():
    m = one("Заседание провели сопредседатели оргкомитета – вице-министр торговли Казахстана Марат Ибраев и "
            "заместитель министра экономики России Ольга Петрова.")
    assert {"Марат Ибраев", "Ольга Петрова"} <= _names(m)


def test_who_opens_the_session_takes_part():
    m = one("Заседание оргкомитета прошло в понедельник в Астане. Открывая заседание, министр торговли "
            "Казахстана Марат Ибраев предложил ускорить работу.")
    assert "Марат Ибраев" in _names(m)


def test_the_mode_of_a_meeting_is_not_another_meeting():
    one("Заседание оргкомитета прошло в понедельник в режиме видеоконференции.")


def test_a_relative_clause_with_a_future_verb_makes_it_planned_and_leans_the_month():
    ms = meetings("Участники согласовали программу форума, который пройдет 2–3 марта в Костанае.")
    f = next(m for m in ms if m.kind.value == "forum")
    assert f.status.value == "planned" and str(f.start_date) == "2025-03-02"


def test_a_yearless_month_leans_with_the_status():
    assert str(one("Стороны договорились провести следующее заседание комиссий в марте.").start_date) == "2025-03-01"
    assert str(one("Переговоры министров прошли в сентябре в Риге.").start_date) == "2023-09-01"


def test_date_and_place_from_a_participle_after_the_mention():
    m = one("Министры обсудили итоги переговоров, завершившихся в понедельник в Самарканде.")
    assert m.location == "Самарканд" and str(m.start_date) == "2024-05-13"


def test_an_explicit_date_after_publication_makes_it_planned():
    assert one("Делегации обсудили подготовку саммита 3 июня 2025 года.").status.value == "planned"


def test_a_sub_body_takes_part_without_its_parent_organisation():
    m = one("Заседание Совета министров обороны ОДКБ прошло в Минске.")
    assert _names(m) == {"Совет министров обороны ОДКБ"}


def test_a_session_in_a_narrow_format_is_the_same_session():
    ms = meetings("Заседание Евразийского межправительственного совета проходит в четверг в Алматы. Открывая заседание "
                  "в узком составе, премьер-министр Казахстана Нурлан Сеитов призвал ускорить работу.", date(2025, 2, 27))
    assert len(ms) == 1 and "Нурлан Сеитов" in _names(ms[0])


def test_the_parent_organisation_named_by_the_subject_is_not_added():
    m = one("Главы правительств стран СНГ на заседании Совета глав правительств СНГ в Минске одобрили план.")
    assert "Содружество Независимых Государств" not in _names(m)


def test_who_arrived_on_the_visit_described_by_a_participle():
    ms = meetings("Глава МИД Эстонии Маргус Тамм, прибывший в Вильнюс с рабочим визитом, провел переговоры с "
                  "президентом Литвы.")
    v = next(m for m in ms if m.kind.value == "visit")
    assert "Маргус Тамм" in _names(v)


def test_members_and_sides_named_in_the_next_sentence():
    m = one("Заседание комиссии прошло в Таллине. Участниками заседания стали вице-премьер Эстонии Март Кукк и "
            "министр экономики Латвии Янис Озолс.")
    assert {"Март Кукк", "Янис Озолс"} <= _names(m)
    m = one("Встреча прошла в Риге. Эстонскую сторону представлял министр энергетики Тоомас Сепп.")
    assert {"Тоомас Сепп", "Эстония"} <= _names(m)


def test_bare_repeated_talks_are_named_by_the_first_mention():
    m = one("Переговоры прошли в Вильнюсе. В переговорах приняли участие министр энергетики Литвы Жигимантас "
            "Вайчюнас и министр энергетики Латвии Каспарс Мелнис.")
    assert m.name == "Переговоры" and len(m.participants) >= 2


def test_bodies_the_delegations_come_from_take_part():
    m = one("В Таллине прошли переговоры делегаций морского порта Мууга и порта Рига.")
    assert len([p for p in m.participants if "порт" in p.name.lower()]) == 2, _names(m)
    m = one("Переговоры прошли в Таллине. Делегацию морского порта Мууга возглавил Тоомас Сепп.")
    assert {"Тоомас Сепп"} <= _names(m) and any("Мууга" in n for n in _names(m)), _names(m)


def test_co_chairs_after_a_dash_in_the_next_sentence():
    m = one("Заседание рабочей группы прошло в среду в Таллине. Заседание провели сопредседатели группы – "
            "вице-министр экономики Эстонии Март Кукк и заместитель министра транспорта Латвии Янис Озолс.")
    assert {"Март Кукк", "Янис Озолс"} <= _names(m), _names(m)


def test_who_speaks_after_the_lead_meeting_takes_part_until_the_story_moves_on():
    m = one("Совещание министров энергетики прошло в среду в Таллине. Министр энергетики Эстонии Тоомас Сепп "
            "предложил создать общий рынок газа. Ранее министр экономики Литвы Лукас Вайткус заявил о росте цен.")
    assert "Тоомас Сепп" in _names(m) and "Лукас Вайткус" not in _names(m), _names(m)


def test_the_same_day_takes_the_date_told_before():
    ms = meetings("Соглашение подписали 13 мая в Таллине. Документ скрепили подписями главы компаний. В тот же день "
                  "состоялись переговоры министров энергетики двух стран.")
    talks = next(m for m in ms if m.kind.value == "talks")
    assert str(talks.start_date) == "2024-05-13"


def test_here_takes_the_day_and_place_of_the_sentence_before():
    ms = meetings("12 апреля 2023 года Таллин принимал гостей со всей Балтии. Здесь прошли переговоры премьер-"
                  "министров Эстонии и Латвии.")
    talks = next(m for m in ms if m.kind.value == "talks")
    assert str(talks.start_date) == "2023-04-12" and talks.location == "Таллин", (talks.start_date, talks.location)


def test_here_does_not_override_what_the_sentence_says():
    ms = meetings("12 апреля 2023 года Таллин принимал гостей. Здесь 14 апреля 2023 года в Тарту прошли переговоры "
                  "премьер-министров Эстонии и Латвии.")
    talks = next(m for m in ms if m.kind.value == "talks")
    assert str(talks.start_date) == "2023-04-14" and talks.location == "Тарту", (talks.start_date, talks.location)


def test_who_reports_on_the_outcome_of_a_session_took_part():
    m = one("Стороны договорились создать центр, сообщил по итогам заседания межправительственной комиссии ее "
            "сопредседатель, вице-премьер Эстонии Март Кукк.")
    assert "Март Кукк" in _names(m)


def test_a_relative_clause_past_the_rest_of_the_name_gives_status_and_date():
    ms = meetings("Документы будут вынесены на сессию Совета министров (СМ) ЕС в Риге, которая пройдет 27 мая.")
    s = next(m for m in ms if m.kind.value == "session")
    assert s.status.value == "planned" and str(s.start_date) == "2024-05-27"


def test_a_documents_date_does_not_date_the_meeting():
    ms = meetings("Заседание совета прошло в Риге. В ходе заседания был подписан протокол к договору от 18 октября "
                  "2011 года.")
    assert len(ms) == 1 and ms[0].start_date is None, [(m.name, m.start_date) for m in ms]


def test_a_bare_visit_and_the_named_visit_after_it_are_one():
    ms = meetings("Министр энергетики Эстонии Тоомас Сепп находится в Латвии с рабочим визитом. Он провел переговоры "
                  "с министром экономики Латвии. Визит главы министерства продлится до пятницы.")
    assert len([m for m in ms if m.kind.value == "visit"]) == 1, [m.name for m in ms]


def test_budet_is_a_future():
    ms = meetings("«Осенью у нас будет шанс снова пообщаться в Риге на заседании Совета Балтийских "
                  "государств», — сказал министр.")
    assert ms and ms[0].status.value == "planned", [(m.name, m.status) for m in ms]


def test_a_clause_describing_a_noun_inside_the_phrase_does_not_date_the_meeting():
    ms = meetings("Итоги будут представлены на IV Рижской конференции по водным ресурсам, которая пройдет в июне в "
                  "Риге в рамках Рижского водного процесса, инициированного Латвией в 2018 году.")
    c = next(m for m in ms if m.kind.value == "conference")
    assert str(c.start_date).startswith("2024-06"), c.start_date


def test_a_place_right_after_the_phrase_wherever_the_parser_hung_it():
    ms = meetings("Министры обсудят ход реализации программы «Укрепление границы», которую лидеры одобрили в ноябре "
                  "прошлого года на сессии Совета коллективной безопасности ОДКБ в Астане.")
    s = next(m for m in ms if m.kind.value == "session")
    assert s.location == "Астана", s.location


@pytest.mark.parametrize("text,status", [
    ["Министры обсудили итоги переговоров, которые проходили в Бишкеке во вторник.", "past"],
    ["Переговоры проходят в Бишкеке.", "ongoing"],
    ["Переговоры будут проходить в Бишкеке.", "planned"],
])
def test_prokhodit_takes_its_status_from_its_tense(text, status):
    assert one(text).status.value == status


@pytest.mark.parametrize("text,status", [
    ["Переговоры, продолжавшиеся два дня, завершились в Исфаре.", "past"],
    ["Переговоры продолжаются в Исфаре.", "ongoing"],
    ["Форум открылся в Ташкенте.", "ongoing"],
    ["Форум откроется в Ташкенте в пятницу.", "planned"],
])
def test_beginning_and_ending_verbs_by_tense(text, status):
    assert one(text).status.value == status


def test_a_signing_ceremony_is_a_meeting_an_opening_ceremony_is_not():
    assert one("В ходе церемонии подписания в Ташкенте министры обменялись документами.").kind.value == "meeting"
    assert meetings("Церемония открытия игр прошла в Астане.") == []


@pytest.mark.parametrize("text,count", [
    ["Президент Казахстана принял посла Японии в Астане в среду.", 1],
    ["Карима Шарипова принял министр иностранных дел Армении Арег Овакимян.", 1],
    ["Парламент принял закон о бюджете.", 0],
    ["Стороны приняли совместное заявление.", 0],
    ["В Термезе открылся Казахстанско-афганский бизнес-форум.", 1],
])
def test_receiving_a_person_and_business_forums(text, count):
    assert len(meetings(text)) == count
