"""Benchmark: every analyst view and example query on a warehouse of 1,000,000 articles.

    .venv/bin/python bench/views_scale.py [--articles 1000000] [--rebuild]
                                          [--cache PATH] [--runs 3] [--only REGEX] [--explain] [--views DIR]

Target (the scale issue): on this machine every view answers a typical analyst query (a count, the
first 100 rows in its natural order, a filter or aggregation analysts run on it) and every
`warehouse/queries/*.sql` file answers in under 1 s, on five years of news. A benchmark, not a
test: it prints a table (name, best seconds, rows, PASS/FAIL) and exits 1 when anything is slower.

The warehouse is synthetic but shaped like the real one. It is made by the project's migrations
(`warehouse.connect` + `warehouse.migrate`, so tables, constraints and views are the shipped ones)
and then filled by DuckDB SQL, INSERT ... SELECT from range(), every choice a hash of a row number
and SEED (same seed and DuckDB version, same data):

- articles: 60 % Russian, 40 % English, from 300 feeds (180 ru, 120 en, Zipf-skewed volume) over
  five years, more news in later years and in working hours; 0.5 % undated; bodies are stand-ins of
  600-2,600 characters (no view reads them); 3 % revised once or twice; 0.3 % failed extraction;
- institutions: 3,000 (40 real ones first, then ministries, agencies and companies of 45 countries),
  mentioned 0-6 times per article (mean 2.2) with Zipf popularity (SCO, the UN, the CIS most);
- meetings: 0-4 per article (55 % none, 28 % one; mean 0.71) of skewed kinds (meeting, talks,
  visit first), statuses (past 62 %), dated at day, month or year precision (35 % undated), placed
  in one of 60 real places (Zipf: Moscow, Astana, Tashkent first; 40 % unplaced), 1-6 participants
  (persons, countries, institutions, Zipf-skewed);
- mechanisms: 0-3 per article (mean 0.43), proposed / agreed / established / existing, 65 % with a
  proposer;
- events: about 1.4 reports per event (a report founds an event with probability 1 / 1.4, else it
  joins one of the 30 events founded just before its article in publication order, never one its
  article reports already), so `events`,
  `reports`, `entities` and every row's `event_id` are filled as resolution leaves them; later
  reports move planned meetings to past and proposed mechanisms on;
- bookkeeping: feeds with their health (a few failing, one never fetched), runs every 15 minutes
  for the last 30 days (maintenance prunes older ones) with a feed_runs row per feed, rejects for
  1.5 % of articles, article_feeds (10 % of articles delivered by a second feed).

The warehouse is cached at --cache (default /tmp/eventwire-views-1m.duckdb for 1,000,000 articles)
with its generator version in `bench_meta`; a cache of another generator version, seed, size or
DuckDB version is refused (--rebuild makes it again). Before timing, the cache is migrated with the
current code (a new migration is applied, views are re-created). Each query then runs --runs times,
each in a fresh read-only connection (`warehouse.connect_for_queries`, as `eventwire sql` opens the
file), fetched as Arrow; the best time counts. --explain prints EXPLAIN ANALYZE of every failing
query; --views DIR times rewritten views (DIR/*.sql) in place of the shipped ones.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

import warehouse  # noqa: E402
from warehouse.events import mechanism_steps_insert, participants_update  # noqa: E402
from warehouse.migrate import load_queries  # noqa: E402

GENERATOR = 4           # bump when the generated data change: older caches are refused
SEED = 42               # salt of every hash-based choice
TARGET_S = 1.0          # the target per query
START = "2021-01-01"    # five years of news: START + DAYS
DAYS = 1826
FEEDS_RU, FEEDS_EN = 180, 120
INSTITUTIONS = 3000
RUN_DAYS = 30           # runs and feed_runs kept by maintenance
VERSION = "0.1.0+lex.bench"
NOW = "2026-01-01 00:00:00+00"   # "now" for the generated warehouse: the end of the five years

# Places meetings are held in, likeliest first: English|Russian|feature|country|GeoNames id|lat|lon
# (as extraction.geocode places them).
PLACES = """
Moscow|Москва|city|RU|524901|55.7520|37.6178
Astana|Астана|city|KZ|1526273|51.1801|71.4460
Tashkent|Ташкент|city|UZ|1512569|41.2647|69.2163
Almaty|Алматы|city|KZ|1526384|43.2525|76.9115
Bishkek|Бишкек|city|KG|1528675|42.8700|74.5900
Dushanbe|Душанбе|city|TJ|1221874|38.5358|68.7790
Ashgabat|Ашхабад|city|TM|162183|37.9500|58.3833
Minsk|Минск|city|BY|625144|53.9002|27.5665
Beijing|Пекин|city|CN|1816670|39.9075|116.3972
Baku|Баку|city|AZ|587084|40.3777|49.8920
Samarkand|Самарканд|city|UZ|1216265|39.6546|66.9644
Saint Petersburg|Санкт-Петербург|city|RU|498817|59.9386|30.3141
Yerevan|Ереван|city|AM|616052|40.1776|44.5126
Tbilisi|Тбилиси|city|GE|611717|41.6914|44.8341
Kazakhstan|Казахстан|country|KZ|1522867|51.1801|71.4460
Uzbekistan|Узбекистан|country|UZ|1512440|41.2647|69.2163
Kyrgyzstan|Киргизия|country|KG|1527747|42.8700|74.5900
Tajikistan|Таджикистан|country|TJ|1220409|38.5358|68.7790
Russia|Россия|country|RU|2017370|55.7520|37.6178
China|Китай|country|CN|1814991|39.9075|116.3972
Ankara|Анкара|city|TR|323786|39.9199|32.8543
Istanbul|Стамбул|city|TR|745044|41.0138|28.9497
Tehran|Тегеран|city|IR|112931|35.6944|51.4215
Kazan|Казань|city|RU|551487|55.7887|49.1221
Sochi|Сочи|city|RU|491422|43.5970|39.7248
Bukhara|Бухара|city|UZ|1217662|39.7703|64.4307
Turkistan|Туркестан|city|KZ|1517945|43.2946|68.2569
Shymkent|Шымкент|city|KZ|1518980|42.3099|69.6004
Cholpon-Ata|Чолпон-Ата|city|KG|1528512|42.6494|77.0823
Khujand|Худжанд|city|TJ|1514879|40.2826|69.6222
Osh|Ош|city|KG|1527534|40.5283|72.7985
Kabul|Кабул|city|AF|1138958|34.5281|69.1723
Islamabad|Исламабад|city|PK|1176615|33.7215|73.0433
New Delhi|Нью-Дели|city|IN|1261481|28.6214|77.2148
Washington|Вашингтон|city|US|4140963|38.8951|-77.0364
New York|Нью-Йорк|city|US|5128581|40.7143|-74.0060
Brussels|Брюссель|city|BE|2800866|50.8505|4.3488
Geneva|Женева|city|CH|2660646|46.2022|6.1457
Vienna|Вена|city|AT|2761369|48.2085|16.3721
Berlin|Берлин|city|DE|2950159|52.5244|13.4105
Paris|Париж|city|FR|2988507|48.8534|2.3488
London|Лондон|city|GB|2643743|51.5085|-0.1257
Tokyo|Токио|city|JP|1850147|35.6895|139.6917
Seoul|Сеул|city|KR|1835848|37.5660|126.9784
Shanghai|Шанхай|city|CN|1796236|31.2222|121.4581
Dubai|Дубай|city|AE|292223|25.0772|55.3093
Abu Dhabi|Абу-Даби|city|AE|292968|24.4512|54.3970
Riyadh|Эр-Рияд|city|SA|108410|24.6877|46.7219
Doha|Доха|city|QA|290030|25.2855|51.5310
Cairo|Каир|city|EG|360630|30.0626|31.2497
Termez|Термез|city|UZ|1215957|37.2242|67.2783
Aktau|Актау|city|KZ|610612|43.6611|51.1739
Novosibirsk|Новосибирск|city|RU|1496747|55.0226|82.9317
Yekaterinburg|Екатеринбург|city|RU|1486209|56.8573|60.6153
Vladivostok|Владивосток|city|RU|2013348|43.1056|131.8735
Turkey|Турция|country|TR|298795|39.9199|32.8543
Iran|Иран|country|IR|130758|35.6944|51.4215
Azerbaijan|Азербайджан|country|AZ|587116|40.3777|49.8920
India|Индия|country|IN|1269750|28.6519|77.2315
United States|США|country|US|6252001|38.8951|-77.0364
"""

# Participating countries, likeliest first: ISO code|English|Russian.
COUNTRIES = """
RU|Russia|Россия
KZ|Kazakhstan|Казахстан
UZ|Uzbekistan|Узбекистан
KG|Kyrgyzstan|Киргизия
TJ|Tajikistan|Таджикистан
TM|Turkmenistan|Туркмения
CN|China|Китай
BY|Belarus|Белоруссия
AZ|Azerbaijan|Азербайджан
TR|Turkey|Турция
AM|Armenia|Армения
US|United States|США
IR|Iran|Иран
AF|Afghanistan|Афганистан
IN|India|Индия
PK|Pakistan|Пакистан
GE|Georgia|Грузия
MN|Mongolia|Монголия
DE|Germany|Германия
FR|France|Франция
JP|Japan|Япония
KR|South Korea|Южная Корея
AE|United Arab Emirates|ОАЭ
SA|Saudi Arabia|Саудовская Аравия
QA|Qatar|Катар
EG|Egypt|Египет
IT|Italy|Италия
GB|United Kingdom|Великобритания
UA|Ukraine|Украина
MD|Moldova|Молдавия
HU|Hungary|Венгрия
PL|Poland|Польша
IL|Israel|Израиль
VN|Vietnam|Вьетнам
ID|Indonesia|Индонезия
MY|Malaysia|Малайзия
BR|Brazil|Бразилия
ZA|South Africa|ЮАР
CH|Switzerland|Швейцария
AT|Austria|Австрия
ES|Spain|Испания
LV|Latvia|Латвия
LT|Lithuania|Литва
EE|Estonia|Эстония
FI|Finland|Финляндия
"""

# Persons: first names and surnames (English|Russian); every pair is one person.
FIRST = """Alexey|Алексей Sergey|Сергей Dmitry|Дмитрий Nurlan|Нурлан Bakhtiyor|Бахтиёр Askar|Аскар
Farrukh|Фаррух Ruslan|Руслан Timur|Тимур Ivan|Иван Mikhail|Михаил Yerlan|Ерлан Dilshod|Дилшод Daniyar|Данияр
Pavel|Павел Anna|Анна Elena|Елена Aigul|Айгуль Zarina|Зарина Olga|Ольга"""
LAST = """Ivanov|Иванов Petrov|Петров Sidorov|Сидоров Karimov|Каримов Nazarov|Назаров Seitkali|Сейткали
Rashidov|Рашидов Bekov|Беков Tokayev|Токаев Mirzaev|Мирзаев Aliyev|Алиев Kovalev|Ковалев Orlov|Орлов
Sokolov|Соколов Abdullaev|Абдуллаев Yusupov|Юсупов Saidov|Саидов Kuznetsov|Кузнецов Morozov|Морозов
Volkov|Волков Lebedev|Лебедев Zhumabaev|Жумабаев Omarov|Омаров Sultanov|Султанов Tashiev|Ташиев
Rakhmonov|Рахмонов Nurmatov|Нурматов Ismailov|Исмаилов Gafurov|Гафуров Kasymov|Касымов"""

# Real institutions mentioned most, likeliest first: id|kind|acronym|English|Russian.
REAL_INSTITUTIONS = """
sco|international|SCO|Shanghai Cooperation Organisation|Шанхайская организация сотрудничества
un|international|UN|United Nations|Организация Объединенных Наций
cis|international|CIS|Commonwealth of Independent States|Содружество Независимых Государств
eaeu|international|EAEU|Eurasian Economic Union|Евразийский экономический союз
csto|international|CSTO|Collective Security Treaty Organization|Организация Договора о коллективной безопасности
kremlin|state||Kremlin|Кремль
brics|international|BRICS|BRICS|БРИКС
eu|international|EU|European Union|Европейский союз
osce|international|OSCE|Organization for Security and Co-operation in Europe|Организация по безопасности и сотрудничеству в Европе
nato|military|NATO|North Atlantic Treaty Organization|Организация Североатлантического договора
adb|financial|ADB|Asian Development Bank|Азиатский банк развития
eabr|financial|EDB|Eurasian Development Bank|Евразийский банк развития
imf|financial|IMF|International Monetary Fund|Международный валютный фонд
wb|financial||World Bank|Всемирный банк
who|international|WHO|World Health Organization|Всемирная организация здравоохранения
eec|international|EEC|Eurasian Economic Commission|Евразийская экономическая комиссия
ots|international|OTS|Organization of Turkic States|Организация тюркских государств
cica|international|CICA|Conference on Interaction and Confidence-Building Measures in Asia|Совещание по взаимодействию и мерам доверия в Азии
gazprom|company||Gazprom|Газпром
rosatom|company||Rosatom|Росатом
kmg|company||KazMunayGas|КазМунайГаз
tass|media|TASS|TASS|ТАСС
kazinform|media||Kazinform|Казинформ
opec|international|OPEC|Organization of the Petroleum Exporting Countries|Организация стран — экспортеров нефти
aiib|financial|AIIB|Asian Infrastructure Investment Bank|Азиатский банк инфраструктурных инвестиций
unesco|international|UNESCO|UNESCO|ЮНЕСКО
wto|international|WTO|World Trade Organization|Всемирная торговая организация
ifas|international|IFAS|International Fund for Saving the Aral Sea|Международный фонд спасения Арала
cabar|media||CABAR.asia|CABAR.asia
mfa_ru|state||Ministry of Foreign Affairs of Russia|Министерство иностранных дел России
mfa_kz|state||Ministry of Foreign Affairs of Kazakhstan|Министерство иностранных дел Казахстана
mfa_uz|state||Ministry of Foreign Affairs of Uzbekistan|Министерство иностранных дел Узбекистана
duma|state||State Duma|Государственная дума
mazhilis|state||Mazhilis|Мажилис
oliy_majlis|state||Oliy Majlis|Олий Мажлис
ebrd|financial|EBRD|European Bank for Reconstruction and Development|Европейский банк реконструкции и развития
iaea|international|IAEA|International Atomic Energy Agency|Международное агентство по атомной энергии
unicef|international|UNICEF|UNICEF|ЮНИСЕФ
fao|international|FAO|Food and Agriculture Organization|Продовольственная и сельскохозяйственная организация ООН
undp|international|UNDP|United Nations Development Programme|Программа развития ООН
"""

# Further institutions: a body of each country (English|Russian|kind); the Russian name puts the
# country after a dash (no declension in a benchmark).
BODIES = """
Ministry of Foreign Affairs|Министерство иностранных дел|state
Ministry of Energy|Министерство энергетики|state
Ministry of Economy|Министерство экономики|state
Ministry of Defence|Министерство обороны|military
Ministry of Transport|Министерство транспорта|state
Ministry of Agriculture|Министерство сельского хозяйства|state
Ministry of Health|Министерство здравоохранения|state
Ministry of Education|Министерство образования|state
Ministry of Finance|Министерство финансов|state
Central Bank|Центральный банк|financial
Parliament|Парламент|state
Security Council|Совет безопасности|state
Chamber of Commerce|Торгово-промышленная палата|other
Investment Agency|Агентство по инвестициям|state
Customs Service|Таможенная служба|state
National University|Национальный университет|education
Academy of Sciences|Академия наук|education
State Railways|Государственные железные дороги|company
National Oil Company|Национальная нефтяная компания|company
Ruling Party|Правящая партия|party
Red Crescent Society|Общество Красного Полумесяца|ngo
National News Agency|Национальное информационное агентство|media
"""

# Meeting names by kind (English|Russian); {n} is an ordinal number, {year} the event's year.
MEETING_NAMES = """
meeting|meeting of the heads of state|встреча глав государств
meeting|meeting of foreign ministers|встреча министров иностранных дел
meeting|{n}th meeting of the working group|{n}-е заседание рабочей группы
meeting|meeting on water and energy cooperation|встреча по водно-энергетическому сотрудничеству
talks|bilateral talks|двусторонние переговоры
talks|talks in a narrow format|переговоры в узком формате
talks|{n}th round of talks|{n}-й раунд переговоров
visit|official visit|официальный визит
visit|state visit|государственный визит
visit|working visit|рабочий визит
call|phone call|телефонный разговор
call|video call|разговор по видеосвязи
summit|SCO summit|саммит ШОС
summit|CIS summit|саммит СНГ
summit|Central Asia – China summit|саммит «Центральная Азия – Китай»
summit|{year} summit|саммит {year} года
session|session of the Council of Foreign Ministers|заседание Совета министров иностранных дел
session|{n}th session of the intergovernmental commission|{n}-е заседание межправительственной комиссии
forum|Astana International Forum|Астанинский международный форум
forum|{n}th Eurasian Economic Forum|{n}-й Евразийский экономический форум
conference|international conference|международная конференция
conference|{year} climate conference|климатическая конференция {year}
"""

# Mechanism descriptions (English|Russian); {x} is a field of cooperation.
MECHANISMS = """
working group on {x}|рабочая группа по {x}
intergovernmental commission on {x}|межправительственная комиссия по {x}
roadmap for {x}|дорожная карта по {x}
platform for {x}|платформа по {x}
regional centre for {x}|региональный центр по {x}
agreement on {x}|соглашение о {x}
joint fund for {x}|совместный фонд по {x}
hub for {x}|хаб по {x}
"""
FIELDS = """water|водным_ресурсам energy|энергетике transport|транспорту trade|торговле security|безопасности
digitalisation|цифровизации climate|климату agriculture|сельскому_хозяйству migration|миграции
investment|инвестициям education|образованию healthcare|здравоохранению tourism|туризму logistics|логистике
customs|таможне finance|финансам"""


def _rows(text: str) -> list[list[str]]:
    return [line.split("|") for line in text.strip().splitlines()]


def _pairs(text: str) -> list[list[str]]:
    return [word.replace("_", " ").split("|") for word in text.split()]


_T0 = time.perf_counter()


def step(text: str) -> None:
    """A progress line with the seconds since the script started."""
    print(f"[{time.perf_counter() - _T0:8.1f} s] {text}", flush=True)


# --- data generation -------------------------------------------------------------------------

def macros(con: duckdb.DuckDBPyConnection) -> None:
    """u(x, salt): a uniform number in [0, 1) from a hash; zipf(u, n): 0..n-1 with P(k) ~ log((k+2)/(k+1)),
    about 1/k; pick(u, p1, p2, ...): 0 while u < p1, 1 while u < p1 + p2, ... (a skewed category).
    Temporary: defined on the connection that generates the rows, never stored in the warehouse."""
    con.execute(f"CREATE OR REPLACE TEMP MACRO u(x, s) AS (hash(x, s, {SEED}) % 1000000007)::DOUBLE / 1000000007")
    con.execute("CREATE OR REPLACE TEMP MACRO zipf(x, n) AS least(floor(pow(n + 1, x))::BIGINT - 1, n - 1)")
    con.execute("""CREATE OR REPLACE TEMP MACRO pick(x, p) AS
                   (len(list_filter(list_transform(range(1, len(p) + 1), lambda i: list_sum(p[1:i])), lambda c: c <= x)))""")


def _temp_table(con: duckdb.DuckDBPyConnection, name: str, columns: list[str], rows: list[list]) -> None:
    """A temporary lookup table `name` (idx, *columns) from Python rows, idx = 0.. in list order."""
    import pyarrow as pa
    data = {"idx": list(range(len(rows)))}
    for i, column in enumerate(columns):
        data[column] = [row[i] for row in rows]
    con.register(f"{name}_arrow", pa.table(data))
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_arrow")
    con.unregister(f"{name}_arrow")


def lookups(con: duckdb.DuckDBPyConnection) -> None:
    """Temporary lookup tables the generator draws from: places, countries, persons, institutions,
    meeting names, mechanism descriptions, feeds."""
    places = [[en, ru, feature, cc, int(gid), float(lat), float(lon)]
              for en, ru, feature, cc, gid, lat, lon in _rows(PLACES)]
    _temp_table(con, "g_places", ["en", "ru", "feature", "cc", "geonames_id", "lat", "lon"], places)
    _temp_table(con, "g_countries", ["cc", "en", "ru"], _rows(COUNTRIES))
    countries = {cc: en for cc, en, _ in _rows(COUNTRIES)}
    people = []
    for fe, fr in _pairs(FIRST):
        for le, lr in _pairs(LAST):
            people.append([f"{fe} {le}", f"{fr} {lr}", f"person:{le.lower()}-{fe.lower()}"])
    # persons ordered by a hash, so the likeliest ones are not all of one first name
    people.sort(key=lambda p: hash_key(p[2]))
    _temp_table(con, "g_persons", ["en", "ru", "entity_id"], people)
    institutions = [[iid, kind, acronym or None, en, ru, "gazetteer"]
                    for iid, kind, acronym, en, ru in _rows(REAL_INSTITUTIONS)]
    bodies = _rows(BODIES)
    taken = {name for row in institutions for name in row[2:5] if name}
    i = 0
    while len(institutions) < INSTITUTIONS:
        cc, en_c, ru_c = _rows(COUNTRIES)[i % len(countries)]
        round_, b = divmod(i // len(countries), len(bodies))
        en_b, ru_b, kind = bodies[b]
        suffix = f" No. {round_ + 1}" if round_ else ""
        en, ru = f"{en_b} of {en_c}{suffix}", f"{ru_b} — {ru_c}{suffix.replace('No.', '№')}"
        if en not in taken and ru not in taken:   # a real institution's name stays its own
            institutions.append([f"i{i:05d}", kind, None, en, ru, "grammar" if i % 3 else "ner"])
            taken |= {en, ru}
        i += 1
    _temp_table(con, "g_institutions", ["institution_id", "kind", "acronym", "en", "ru", "source"], institutions)
    _temp_table(con, "g_meeting_names", ["kind", "en", "ru"], _rows(MEETING_NAMES))
    fields = _pairs(FIELDS)
    _temp_table(con, "g_mechanism_names", ["en", "ru"],
                [[en.replace("{x}", fe), ru.replace("{x}", fr)] for en, ru in _rows(MECHANISMS) for fe, fr in fields])
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE g_feeds AS
        SELECT 'ru' AS language, range AS lidx, printf('https://news%03d.example.ru/rss', range) AS url
          FROM range({FEEDS_RU})
        UNION ALL
        SELECT 'en', range, printf('https://news%03d.example.com/feed', range) FROM range({FEEDS_EN})""")


def hash_key(text: str) -> str:
    """A stable sort key for `text` (Python's hash() is salted per process)."""
    import hashlib
    return hashlib.sha256(text.encode()).hexdigest()


def generate(con: duckdb.DuckDBPyConnection, articles: int) -> None:
    """Fill every table of a freshly migrated warehouse with `articles` articles and their records."""
    macros(con)
    lookups(con)
    for name, sql in generation_steps(articles):
        t = time.perf_counter()
        try:
            con.execute(sql)
        except duckdb.Error as e:
            raise RuntimeError(f"generation step {name!r} failed: {' '.join(str(e).split())}") from e
        step(f"{name}: {time.perf_counter() - t:.1f} s")


def generation_steps(n: int) -> Iterator[tuple[str, str]]:
    """(name, SQL) of each generation step, in order; `n` articles."""
    runs = max(10, min(RUN_DAYS * 96, n * RUN_DAYS * 96 // 1_000_000))
    yield "articles (generator table)", f"""
        CREATE OR REPLACE TEMP TABLE g_articles AS
        WITH a AS (
            SELECT range AS n, CASE WHEN u(range, 'lang') < .6 THEN 'ru' ELSE 'en' END AS language,
                   -- more news in later years: day = DAYS * u^0.8; working hours: 3-19 UTC mostly
                   floor(pow(u(range, 'day'), .8) * {DAYS})::INTEGER AS day,
                   (3 + 16 * (u(range, 'h1') + u(range, 'h2')) / 2 + CASE WHEN u(range, 'night') < .1
                    THEN 12 ELSE 0 END) * 3600 AS second_of_day,
                   u(range, 'feed') AS uf
            FROM range({n}))
        SELECT a.n, a.language, f.url AS feed_url,
               substr(md5('article ' || a.n), 1, 16) AS article_id,
               TIMESTAMPTZ '{START} 00:00:00+00' + a.day * INTERVAL 1 DAY
                   + (a.second_of_day % 86400)::BIGINT * INTERVAL 1 SECOND AS ts,
               u(a.n, 'nopub') < .005 AS undated,
               600 + floor(u(a.n, 'len') * 2000)::INTEGER AS body_len,
               pick(u(a.n, 'source'), [.70, .20, .09]) AS source_pick,
               pick(u(a.n, 'revision'), [.97, .025]) + 1 AS revision,
               u(a.n, 'failed') < .003 AS failed,
               zipf(u(a.n, 'tplace'), 60) AS title_place
        FROM a JOIN g_feeds AS f
          ON f.language = a.language
         AND f.lidx = zipf(a.uf, CASE a.language WHEN 'ru' THEN {FEEDS_RU} ELSE {FEEDS_EN} END)"""
    yield "articles", f"""
        INSERT INTO articles (article_id, url, guid, title, language, published_at, body, content_hash,
                              first_seen_at, updated_at, feed_url, body_source, extractor_version, extracted_at,
                              revision, extract_attempts, extract_error)
        WITH t AS (
            SELECT g.*, p.en AS place_en, p.ru AS place_ru,
                   g.ts + (300 + floor(u(g.n, 'seen') * 6 * 3600))::BIGINT * INTERVAL 1 SECOND AS seen,
                   CASE g.language
                       WHEN 'ru' THEN ['Переговоры в городе ', 'Визит делегации: ', 'Новости региона — ',
                                       'Саммит и встречи: ', 'Экономика и сотрудничество: '][1 + g.n % 5] || p.ru
                       ELSE ['Talks in ', 'Delegation visits ', 'Regional news: ', 'Summit week in ',
                             'Economy and cooperation: '][1 + g.n % 5] || p.en END AS title
            FROM g_articles AS g JOIN g_places AS p ON p.idx = g.title_place),
        b AS (
            SELECT t.*, left(t.title || '. ' || repeat(CASE t.language
                       WHEN 'ru' THEN 'Стороны обсудили вопросы сотрудничества в торговле, энергетике и транспорте. '
                       ELSE 'The sides discussed cooperation in trade, energy and transport. ' END, 40),
                       t.body_len) AS body
            FROM t)
        SELECT article_id, replace(replace(feed_url, '/rss', ''), '/feed', '') || '/news/' || n, 'guid-' || n,
               title, language, CASE WHEN undated THEN NULL ELSE ts END, body, sha256(body), seen,
               seen + (revision - 1) * INTERVAL 3 HOUR, feed_url,
               ['full_text', 'page', 'summary', 'none'][source_pick + 1],
               CASE WHEN failed THEN NULL ELSE '{VERSION}' END,
               CASE WHEN failed THEN NULL ELSE seen + (revision - 1) * INTERVAL 3 HOUR + INTERVAL 40 SECOND END,
               revision, CASE WHEN failed THEN 1 + floor(u(n, 'attempts') * 3)::INTEGER ELSE 0 END,
               CASE WHEN failed THEN 'extraction took longer than 15 s' END
        FROM b ORDER BY n"""
    yield "article_revisions", """
        INSERT INTO article_revisions (article_id, revision, content_hash, title, body, published_at, replaced_at)
        SELECT a.article_id, r.revision, sha256(a.body || r.revision), a.title,
               'Earlier version ' || r.revision || '. ' || a.body, a.published_at,
               a.first_seen_at + r.revision * INTERVAL 3 HOUR
        FROM articles AS a, range(1, 3) AS r(revision) WHERE r.revision < a.revision"""
    yield "article_feeds", f"""
        INSERT INTO article_feeds (article_id, feed_url, guid, first_seen_at, last_seen_at)
        SELECT a.article_id, a.feed_url, a.guid, a.first_seen_at, a.updated_at FROM articles AS a
        UNION ALL
        SELECT g.article_id, f.url, 'guid-' || g.n, g.ts + INTERVAL 2 HOUR, g.ts + INTERVAL 2 HOUR
        FROM g_articles AS g JOIN g_feeds AS f
          ON f.language = g.language
         AND f.lidx = floor(u(g.n, 'feed2') * {FEEDS_EN})::INTEGER
        WHERE u(g.n, 'refeed') < .10 AND f.url <> g.feed_url"""
    yield "institutions", f"""
        INSERT INTO institutions (institution_id, name, acronym, kind, language, source, first_seen_at)
        SELECT institution_id, CASE WHEN idx < 40 OR idx % 5 < 3 THEN ru ELSE en END, acronym, kind,
               CASE WHEN idx < 40 OR idx % 5 < 3 THEN 'ru' ELSE 'en' END, source,
               TIMESTAMPTZ '{START} 00:00:00+00'
                 + floor(CASE WHEN idx < 40 THEN 0 ELSE u(idx, 'ifirst') END * {DAYS} * 86400)::BIGINT
                   * INTERVAL 1 SECOND
        FROM g_institutions"""
    yield "institution_aliases", """
        INSERT INTO institution_aliases (institution_id, alias)
        SELECT DISTINCT institution_id, alias FROM (
            SELECT institution_id, unnest([en, ru, acronym]) AS alias FROM g_institutions
            WHERE idx < 40 OR idx % 4 = 0)
        WHERE alias IS NOT NULL"""
    yield "institution_mentions", f"""
        INSERT INTO institution_mentions (article_id, institution_id, surface, char_start, char_end, evidence,
                                          confidence, rule_id, extractor_version)
        WITH k AS (
            SELECT g.n, g.article_id, g.language, g.body_len, s.slot,
                   zipf(u(g.n * 8 + s.slot, 'inst'), {INSTITUTIONS}) AS idx,
                   u(g.n * 8 + s.slot, 'form') AS uform, u(g.n * 8 + s.slot, 'rule') AS urule
            FROM g_articles AS g, range(6) AS s(slot)
            WHERE NOT g.failed AND s.slot < pick(u(g.n, 'mentions'), [.25, .20, .18, .14, .10, .07])),
        m AS (
            SELECT k.*, i.institution_id,
                   CASE WHEN i.acronym IS NOT NULL AND k.uform < .5 THEN i.acronym
                        WHEN k.language = 'ru' THEN i.ru ELSE i.en END AS surface,
                   CASE WHEN k.idx < 40 THEN 'gazetteer'
                        ELSE ['grammar', 'ner', 'acronym'][1 + pick(k.urule, [.6, .35])] END AS rule,
                   k.slot * (k.body_len // 7)
                       + floor(u(k.n * 8 + k.slot, 'at') * greatest(1, k.body_len // 7 - 60))::INTEGER AS char_start
            FROM k JOIN g_institutions AS i ON i.idx = k.idx)
        SELECT article_id, institution_id, surface, char_start, char_start + length(surface),
               surface || CASE language WHEN 'ru' THEN ' заявила о готовности к сотрудничеству.'
                                       ELSE ' said it was ready to cooperate.' END,
               CASE rule WHEN 'gazetteer' THEN .974 WHEN 'grammar' THEN .88 WHEN 'ner' THEN .71 ELSE .64 END,
               language || '.institution.' || rule, '{VERSION}'
        FROM m"""
    yield from _meeting_steps()
    yield from _mechanism_steps()
    yield from _event_steps()
    yield from _bookkeeping_steps(n, runs)


def _meeting_steps() -> Iterator[tuple[str, str]]:
    """Meetings, their events (founders and the reports that join them) and participants."""
    yield "meeting reports (generator table)", """
        CREATE OR REPLACE TEMP TABLE g_meet AS
        WITH s AS (
            SELECT g.n, g.article_id, g.language, g.feed_url, g.body_len, g.ts, s.slot, g.n * 4 + s.slot AS q
            FROM g_articles AS g, range(4) AS s(slot)
            WHERE NOT g.failed AND s.slot < pick(u(g.n, 'meetings'), [.55, .28, .10, .05])),
        o AS (SELECT *, row_number() OVER (ORDER BY ts, q) AS rn FROM s),
        a AS (SELECT *, min(rn) OVER (PARTITION BY n) AS article_rn FROM o),
        f AS (SELECT *, article_rn <= 60 OR u(q, 'found') < 1 / 1.4 AS founder FROM a),
        c AS (SELECT *, sum(founder::INTEGER) OVER (ORDER BY rn ROWS UNBOUNDED PRECEDING) AS fseq FROM f),
        b AS (SELECT *, min(fseq - founder::INTEGER) OVER (PARTITION BY n) AS before_article FROM c)
        -- a report joins one of the 30 events founded last before its article, never one its article
        -- reports already (resolution keeps an article's rows apart): each slot its own offset
        SELECT *, CASE WHEN founder THEN fseq
                       ELSE before_article - (floor(u(n, 'back') * 30)::BIGINT + slot) % 30 END AS e
        FROM b"""
    yield "meeting events (generator table)", """
        CREATE OR REPLACE TEMP TABLE g_mevents AS
        WITH f AS (
            SELECT fseq AS e, q, ts,
                   ['meeting', 'talks', 'visit', 'call', 'summit', 'session', 'forum', 'conference'][
                       1 + pick(u(q, 'kind'), [.30, .20, .15, .10, .08, .07, .05])] AS kind,
                   pick(u(q, 'fstatus'), [.62, .28]) AS fstatus,
                   u(q, 'offset') AS uo,
                   zipf(u(q, 'place'), 60) AS place,
                   floor(pow(31, u(q, 'ord')))::INTEGER AS ord,
                   1 + pick(u(q, 'parts'), [.20, .42, .15, .10, .07]) AS n_part,
                   floor(u(q, 'name') * 1000)::INTEGER AS name_pick
            FROM g_meet WHERE founder)
        SELECT f.*, CAST(timezone('UTC', f.ts) AS DATE)
                    + CASE f.fstatus WHEN 0 THEN -floor(3 * f.uo * f.uo)::INTEGER     -- past: held 0-2 days before
                                     WHEN 1 THEN 1 + floor(90 * f.uo * f.uo)::INTEGER  -- planned: 1-90 days ahead
                                     ELSE 0 END AS day,                                -- ongoing: today
               'ev-' || substr(md5('meeting event ' || f.e), 1, 16) AS event_id,
               n.en AS name_en, n.ru AS name_ru
        FROM f JOIN (SELECT *, row_number() OVER (PARTITION BY kind ORDER BY idx) - 1 AS k,
                            count(*) OVER (PARTITION BY kind) AS kinds FROM g_meeting_names) AS n
          ON n.kind = f.kind AND n.k = f.name_pick % n.kinds"""
    yield "meeting event participants (generator table)", f"""
        CREATE OR REPLACE TEMP TABLE g_mparts AS
        WITH p AS (
            SELECT e, s.slot, u(e * 8 + s.slot, 'ptype') AS ut, u(e * 8 + s.slot, 'pidx') AS ui
            FROM g_mevents, range(6) AS s(slot) WHERE s.slot < n_part),
        t AS (
            SELECT e, slot, CASE WHEN ut < .35 THEN 'person' WHEN ut < .80 THEN 'country' ELSE 'institution' END
                   AS ptype, ui FROM p)
        SELECT e, ptype, pidx, min(slot) AS slot FROM (
            SELECT e, slot, ptype,
                   CASE ptype WHEN 'person' THEN zipf(ui, {len(_pairs(FIRST)) * len(_pairs(LAST))})
                              WHEN 'country' THEN zipf(ui, {len(_rows(COUNTRIES))})
                              ELSE zipf(ui, {INSTITUTIONS}) END AS pidx
            FROM t)
        GROUP BY ALL"""
    yield "meeting rows (generator table)", """
        CREATE OR REPLACE TEMP TABLE g_mrows AS
        WITH r AS (
            SELECT m.*, ev.event_id, ev.kind AS ev_kind, ev.fstatus, ev.day, ev.place, ev.ord, ev.name_en,
                   ev.name_ru, CAST(timezone('UTC', m.ts) AS DATE) AS pub_day,
                   u(m.q, 'dated') AS ud, u(m.q, 'prec') AS up, u(m.q, 'loc') AS ul, u(m.q, 'named') AS un,
                   u(m.q, 'rule') AS ur, u(m.q, 'st') AS us
            FROM g_meet AS m JOIN g_mevents AS ev USING (e))
        SELECT r.e, r.q, r.n, r.article_id, r.language, r.ts, r.day, r.place, r.founder, r.body_len,
               substr(md5('meeting ' || r.q), 1, 16) AS meeting_id, r.event_id,
               -- a planned meeting is reported as held by the reports published after its day
               CASE WHEN r.founder THEN ['past', 'planned', 'ongoing'][1 + r.fstatus]
                    WHEN r.pub_day > r.day THEN CASE WHEN r.us < .95 THEN 'past' ELSE 'planned' END
                    WHEN r.pub_day = r.day THEN CASE WHEN r.us < .6 THEN 'ongoing' ELSE 'past' END
                    ELSE CASE WHEN r.us < .9 THEN 'planned' ELSE 'past' END END AS status,
               CASE WHEN NOT r.founder AND r.ev_kind IN ('summit', 'session', 'talks') AND r.ur < .08
                    THEN 'meeting' ELSE r.ev_kind END AS kind,
               CASE WHEN r.un < .10 THEN NULL
                    ELSE replace(replace(CASE r.language WHEN 'ru' THEN r.name_ru ELSE r.name_en END,
                                         '{n}', r.ord::VARCHAR), '{year}', year(r.day)::VARCHAR) END AS name,
               CASE WHEN r.ud < .35 THEN NULL WHEN r.up < .70 THEN 'day' WHEN r.up < .90 THEN 'month'
                    ELSE 'year' END AS date_precision,
               CASE WHEN r.ul < .40 THEN NULL WHEN r.language = 'ru' THEN p.ru ELSE p.en END AS location,
               ['noun', 'verb', 'anaphor'][1 + pick(r.ur, [.85, .12])] AS rule,
               floor(u(r.q, 'at') * (r.body_len - 200))::INTEGER AS char_start
        FROM r JOIN g_places AS p ON p.idx = r.place"""
    yield "meeting participants (generator table)", """
        CREATE OR REPLACE TEMP TABLE g_mprows AS
        SELECT m.meeting_id, ep.ptype, ep.slot,
               CASE ep.ptype WHEN 'person' THEN CASE m.language WHEN 'ru' THEN pe.ru ELSE pe.en END
                             WHEN 'country' THEN CASE m.language WHEN 'ru' THEN c.ru ELSE c.en END
                             ELSE CASE WHEN i.acronym IS NOT NULL AND u(m.q * 8 + ep.slot, 'acr') < .5
                                       THEN i.acronym WHEN m.language = 'ru' THEN i.ru ELSE i.en END END AS name,
               CASE ep.ptype WHEN 'person' THEN pe.entity_id WHEN 'country' THEN 'country:' || c.cc
                             ELSE 'institution:' || i.institution_id END AS entity_id
        FROM g_mrows AS m JOIN g_mparts AS ep ON ep.e = m.e
        LEFT JOIN g_persons AS pe ON ep.ptype = 'person' AND pe.idx = ep.pidx
        LEFT JOIN g_countries AS c ON ep.ptype = 'country' AND c.idx = ep.pidx
        LEFT JOIN g_institutions AS i ON ep.ptype = 'institution' AND i.idx = ep.pidx
        WHERE ep.slot = 0 OR u(m.q * 8 + ep.slot, 'drop') >= .10"""
    yield "meetings", f"""
        INSERT INTO meetings (meeting_id, article_id, kind, status, name, start_date, date_precision, location,
                              evidence, char_start, char_end, confidence, rule_id, extractor_version, event_id,
                              participants_typed)
        SELECT meeting_id, article_id, kind, status, name,
               CASE date_precision WHEN 'day' THEN day WHEN 'month' THEN date_trunc('month', day)::DATE
                                   WHEN 'year' THEN date_trunc('year', day)::DATE END,
               date_precision, location,
               CASE language WHEN 'ru' THEN 'Стороны провели ' || coalesce(name, kind)
                                            || coalesce(' в городе ' || location, '') || '.'
                             ELSE 'The sides held the ' || coalesce(name, kind)
                                  || coalesce(' in ' || location, '') || '.' END,
               char_start, char_start + 5 + length(coalesce(name, kind)),
               CASE rule WHEN 'noun' THEN .909 WHEN 'verb' THEN .80 ELSE .62 END,
               language || '.meeting.' || rule, '{VERSION}', event_id, coalesce(p.listed, [])
        FROM g_mrows LEFT JOIN (
            SELECT meeting_id, list_transform(list_sort(list({{'slot': slot, 'name': name, 'participant_type': ptype}})),
                                              lambda x: {{'name': x.name, 'participant_type': x.participant_type}}) AS listed
            FROM g_mprows GROUP BY meeting_id) AS p USING (meeting_id)
        ORDER BY q"""
    yield "meeting_participants", """
        INSERT INTO meeting_participants (meeting_id, name, participant_type, position)
        SELECT meeting_id, name, ptype, (row_number() OVER (PARTITION BY meeting_id ORDER BY slot) - 1)::INTEGER
        FROM g_mprows"""


def _mechanism_steps() -> Iterator[tuple[str, str]]:
    """Mechanisms and their events: later reports move a proposal on."""
    yield "mechanism reports (generator table)", """
        CREATE OR REPLACE TEMP TABLE g_mech AS
        WITH s AS (
            SELECT g.n, g.article_id, g.language, g.feed_url, g.body_len, g.ts, s.slot, g.n * 4 + s.slot AS q
            FROM g_articles AS g, range(3) AS s(slot)
            WHERE NOT g.failed AND s.slot < pick(u(g.n, 'mechanisms'), [.70, .20, .07])),
        o AS (SELECT *, row_number() OVER (ORDER BY ts, q) AS rn FROM s),
        a AS (SELECT *, min(rn) OVER (PARTITION BY n) AS article_rn FROM o),
        f AS (SELECT *, article_rn <= 60 OR u(q, 'kfound') < 1 / 1.4 AS founder FROM a),
        c AS (SELECT *, sum(founder::INTEGER) OVER (ORDER BY rn ROWS UNBOUNDED PRECEDING) AS fseq FROM f),
        b AS (SELECT *, min(fseq - founder::INTEGER) OVER (PARTITION BY n) AS before_article FROM c)
        -- a report joins one of the 30 events founded last before its article, never one its article
        -- reports already (resolution keeps an article's rows apart): each slot its own offset
        SELECT *, CASE WHEN founder THEN fseq
                       ELSE before_article - (floor(u(n, 'kback') * 30)::BIGINT + slot) % 30 END AS e
        FROM b"""
    yield "mechanism events (generator table)", f"""
        CREATE OR REPLACE TEMP TABLE g_kevents AS
        SELECT fseq AS e, 'ev-' || substr(md5('mechanism event ' || fseq), 1, 16) AS event_id,
               pick(u(q, 'kstatus'), [.45, .30, .10]) AS base_status,
               zipf(u(q, 'desc'), (SELECT count(*) FROM g_mechanism_names)) AS desc_idx,
               u(q, 'proposer') AS up, zipf(u(q, 'pidx'), {len(_rows(COUNTRIES))}) AS country_idx,
               zipf(u(q, 'iidx'), 200) AS inst_idx
        FROM g_mech WHERE founder"""
    yield "mechanism rows (generator table)", """
        CREATE OR REPLACE TEMP TABLE g_krows AS
        WITH r AS (
            SELECT k.*, ev.event_id, ev.up, ev.country_idx, ev.inst_idx, d.en AS desc_en, d.ru AS desc_ru,
                   CASE WHEN ev.base_status = 3 THEN 3
                        ELSE least(2, ev.base_status + CASE WHEN k.founder THEN 0
                                                            ELSE pick(u(k.q, 'advance'), [.6, .3]) END) END
                       AS status_idx,
                   CASE WHEN ev.up < .35 OR u(k.q, 'noprop') < .15 THEN NULL
                        WHEN ev.up < .75 THEN 'country' ELSE 'institution' END AS proposer_type
            FROM g_mech AS k JOIN g_kevents AS ev USING (e)
            JOIN g_mechanism_names AS d ON d.idx = ev.desc_idx)
        SELECT r.q, r.e, r.article_id, r.language, r.ts,
               substr(md5('mechanism ' || r.q), 1, 16) AS mechanism_id, r.event_id,
               CASE r.language WHEN 'ru' THEN r.desc_ru ELSE r.desc_en END AS description,
               ['proposed', 'agreed', 'established', 'existing'][r.status_idx + 1] AS status,
               CASE r.proposer_type WHEN 'country' THEN CASE r.language WHEN 'ru' THEN c.ru ELSE c.en END
                                    WHEN 'institution' THEN coalesce(i.acronym, CASE r.language WHEN 'ru' THEN i.ru
                                                                                   ELSE i.en END) END AS proposer,
               CASE r.proposer_type WHEN 'country' THEN 'country:' || c.cc
                                    WHEN 'institution' THEN 'institution:' || i.institution_id END AS proposer_entity,
               ['word', 'class', 'head'][1 + pick(u(r.q, 'krule'), [.7, .2])] AS rule,
               floor(u(r.q, 'kat') * (r.body_len - 200))::INTEGER AS char_start
        FROM r JOIN g_countries AS c ON c.idx = r.country_idx
        JOIN g_institutions AS i ON i.idx = r.inst_idx"""
    yield "mechanisms", f"""
        INSERT INTO mechanisms (mechanism_id, article_id, description, status, proposer, evidence, char_start,
                                char_end, confidence, rule_id, extractor_version, event_id)
        SELECT mechanism_id, article_id, description, status, proposer,
               CASE language WHEN 'ru' THEN coalesce(proposer, 'Стороны') || ' предложили создать '
                                            || description || '.'
                             ELSE coalesce(proposer, 'The sides') || ' proposed a ' || description || '.' END,
               char_start, char_start + length(description),
               CASE rule WHEN 'word' THEN .959 WHEN 'class' THEN .86 ELSE .70 END,
               language || '.mechanism.' || rule, '{VERSION}', event_id
        FROM g_krows ORDER BY q"""


def _event_steps() -> Iterator[tuple[str, str]]:
    """entities, reports and events, as resolution leaves them."""
    yield "entities", f"""
        INSERT INTO entities (entity_id, entity_type, name, country_code)
        SELECT 'country:' || cc, 'country', ru, cc FROM g_countries
        UNION ALL
        SELECT entity_id, 'person', en,
               (SELECT cc FROM g_countries AS c WHERE c.idx = zipf(u(p.idx, 'pcountry'), {len(_rows(COUNTRIES))}))
        FROM g_persons AS p
        UNION ALL
        SELECT 'institution:' || institution_id, 'institution', coalesce(en, ru), NULL FROM g_institutions"""
    yield "reports of meetings", f"""
        INSERT INTO reports (report_id, event_type, event_id, article_id, kind, status, language, published_at,
                             date_lo, date_hi, dated, place_key, place_country, place_feature, entities, tokens,
                             keys, resolved_at)
        WITH ents AS (SELECT meeting_id, list_sort(list_distinct(list(entity_id))) AS entities
                      FROM g_mprows GROUP BY meeting_id)
        SELECT mt.meeting_id, 'meeting', mt.event_id, mt.article_id, mt.kind, mt.status, m.language,
               a.published_at,
               coalesce(mt.start_date, CAST(timezone('UTC', m.ts) AS DATE) - 3),
               CASE mt.date_precision WHEN 'day' THEN mt.start_date
                    WHEN 'month' THEN (date_trunc('month', mt.start_date) + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE
                    WHEN 'year' THEN make_date(year(mt.start_date), 12, 31)
                    ELSE CAST(timezone('UTC', m.ts) AS DATE) + 90 END,
               mt.start_date IS NOT NULL,
               CASE WHEN mt.location IS NULL THEN NULL WHEN p.feature = 'city' THEN 'geonames:' || p.geonames_id
                    ELSE 'country:' || p.cc END,
               CASE WHEN mt.location IS NOT NULL THEN p.cc END,
               CASE WHEN mt.location IS NOT NULL THEN p.feature END,
               e.entities,
               CASE WHEN mt.name IS NULL THEN [] ELSE ['kind:' || mt.kind] END,
               list_transform(e.entities, lambda x: 'meeting|' || x || '|m|' || strftime(m.ts, '%Y-%m')),
               TIMESTAMPTZ '{NOW}' - INTERVAL 1 DAY
        FROM g_mrows AS m
        JOIN meetings AS mt USING (meeting_id)
        JOIN articles AS a ON a.article_id = m.article_id
        JOIN g_places AS p ON p.idx = m.place
        JOIN ents AS e USING (meeting_id)"""
    yield "reports of mechanisms", f"""
        INSERT INTO reports (report_id, event_type, event_id, article_id, kind, status, language, published_at,
                             date_lo, date_hi, dated, place_key, place_country, place_feature, entities, tokens,
                             keys, resolved_at)
        SELECT k.mechanism_id, 'mechanism', k.event_id, k.article_id, NULL, k.status, k.language, a.published_at,
               NULL, NULL, false, NULL, NULL, NULL,
               CASE WHEN k.proposer_entity IS NULL THEN [] ELSE [k.proposer_entity] END,
               ['concept:' || md5(k.description)[:8]],
               ['mechanism|concept:' || md5(k.description)[:8] || '|m|' || strftime(k.ts, '%Y-%m')],
               TIMESTAMPTZ '{NOW}' - INTERVAL 1 DAY
        FROM g_krows AS k JOIN articles AS a USING (article_id)"""
    yield "events of meetings", f"""
        INSERT INTO events (event_id, event_type, kind, status, name, start_date, date_precision, location,
                            first_seen_at, last_seen_at, articles, sources, languages, place_name, place_feature,
                            country_code, geonames_id, latitude, longitude, proposer, cameo_code, plover_type,
                            plover_mode, updated_at)
        WITH r AS (
            SELECT mt.*, coalesce(a.published_at, a.first_seen_at) AS seen, a.language, a.feed_url,
                   CASE mt.date_precision WHEN 'day' THEN 0 WHEN 'month' THEN 1 WHEN 'year' THEN 2 END AS prec_rank
            FROM meetings AS mt JOIN articles AS a USING (article_id)),
        agg AS (
            SELECT event_id,
                   CASE WHEN bool_or(status = 'past') THEN 'past' WHEN bool_or(status = 'ongoing') THEN 'ongoing'
                        ELSE 'planned' END AS status,
                   arg_min(name, seen) FILTER (WHERE name IS NOT NULL) AS name,
                   arg_min(start_date, (prec_rank, seen)) FILTER (WHERE start_date IS NOT NULL) AS start_date,
                   arg_min(date_precision, (prec_rank, seen)) FILTER (WHERE start_date IS NOT NULL)
                       AS date_precision,
                   arg_min(location, seen) FILTER (WHERE location IS NOT NULL) AS location,
                   min(seen) AS first_seen_at, max(seen) AS last_seen_at,
                   count(DISTINCT article_id) AS articles, count(DISTINCT feed_url) AS sources,
                   list(DISTINCT language ORDER BY language) AS languages
            FROM r GROUP BY event_id),
        parties AS (
            SELECT event_id, count(DISTINCT x) FILTER (WHERE x LIKE 'country:%') AS countries,
                   bool_or(x LIKE 'institution:%') AS body
            FROM (SELECT event_id, unnest(entities) AS x FROM reports WHERE event_type = 'meeting')
            GROUP BY event_id)
        SELECT agg.event_id, 'meeting', ev.kind, agg.status, agg.name, agg.start_date, agg.date_precision,
               agg.location, agg.first_seen_at, agg.last_seen_at, agg.articles, agg.sources, agg.languages,
               CASE WHEN agg.location IS NOT NULL THEN p.en END, CASE WHEN agg.location IS NOT NULL THEN p.feature END,
               CASE WHEN agg.location IS NOT NULL THEN p.cc END, CASE WHEN agg.location IS NOT NULL THEN p.geonames_id END,
               CASE WHEN agg.location IS NOT NULL THEN p.lat END, CASE WHEN agg.location IS NOT NULL THEN p.lon END,
               NULL,
               CASE WHEN agg.status = 'planned' THEN '036' WHEN ev.kind = 'call' THEN '041'
                    WHEN ev.kind = 'visit' THEN '042' WHEN ev.kind = 'talks' THEN '046'
                    WHEN coalesce(pa.countries, 0) >= 3 OR pa.body THEN '040' ELSE '040' END,
               'CONSULT',
               CASE WHEN agg.status = 'planned' THEN 'unspecified' WHEN ev.kind = 'call' THEN 'phone'
                    WHEN ev.kind = 'visit' THEN 'visit'
                    WHEN coalesce(pa.countries, 0) >= 3 OR pa.body THEN 'multilateral' ELSE 'unspecified' END,
               TIMESTAMPTZ '{NOW}' - INTERVAL 1 DAY
        FROM agg JOIN g_mevents AS ev USING (event_id)
        JOIN g_places AS p ON p.idx = ev.place
        LEFT JOIN parties AS pa USING (event_id)"""
    yield "events of mechanisms", f"""
        INSERT INTO events (event_id, event_type, kind, status, name, start_date, date_precision, location,
                            first_seen_at, last_seen_at, articles, sources, languages, place_name, place_feature,
                            country_code, geonames_id, latitude, longitude, proposer, cameo_code, plover_type,
                            plover_mode, updated_at)
        WITH r AS (
            SELECT k.*, coalesce(a.published_at, a.first_seen_at) AS seen, a.language, a.feed_url,
                   CASE k.status WHEN 'proposed' THEN 0 WHEN 'agreed' THEN 1 ELSE 2 END AS rank
            FROM mechanisms AS k JOIN articles AS a USING (article_id)),
        agg AS (
            SELECT event_id, arg_max(status, (rank, seen)) AS status, arg_min(description, seen) AS name,
                   arg_min(proposer, seen) FILTER (WHERE proposer IS NOT NULL) AS proposer,
                   min(seen) AS first_seen_at, max(seen) AS last_seen_at,
                   count(DISTINCT article_id) AS articles, count(DISTINCT feed_url) AS sources,
                   list(DISTINCT language ORDER BY language) AS languages
            FROM r GROUP BY event_id)
        SELECT event_id, 'mechanism', NULL, status, name, NULL, NULL, NULL, first_seen_at, last_seen_at, articles,
               sources, languages, NULL, NULL, NULL, NULL, NULL, NULL, proposer,
               CASE status WHEN 'proposed' THEN '032' WHEN 'agreed' THEN '057' ELSE '050' END,
               CASE status WHEN 'agreed' THEN 'AGREE' ELSE 'COOPERATE' END,
               CASE status WHEN 'proposed' THEN 'intend' ELSE 'unspecified' END,
               TIMESTAMPTZ '{NOW}' - INTERVAL 1 DAY
        FROM agg"""
    yield "participants of events", participants_update("events")
    yield "steps of mechanisms", mechanism_steps_insert("events")


def _bookkeeping_steps(n: int, runs: int) -> Iterator[tuple[str, str]]:
    """feeds, runs, feed_runs and rejects."""
    yield "feeds", f"""
        INSERT INTO feeds (feed_url, name, language, etag, last_modified, last_status, last_http_status,
                           last_fetched_at, last_ok_at, error_count, last_error, items_seen)
        WITH f AS (SELECT *, u(lidx, language || 'health') AS uh FROM g_feeds),
        h AS (SELECT *, CASE WHEN language = 'en' AND lidx = {FEEDS_EN - 1} THEN 'never_fetched'
                             WHEN uh < .90 THEN 'healthy' WHEN uh < .98 THEN 'failing' ELSE 'never_ok' END AS health
              FROM f)
        SELECT url, regexp_extract(url, 'https://([^/]+)', 1), language,
               CASE WHEN health <> 'never_fetched' AND uh < .6 THEN '"' || md5(url)[:12] || '"' END,
               CASE WHEN health <> 'never_fetched' AND uh < .8 THEN 'Wed, 31 Dec 2025 23:45:00 GMT' END,
               CASE health WHEN 'never_fetched' THEN NULL WHEN 'healthy'
                    THEN CASE WHEN uh < .3 THEN 'ok' ELSE 'not_modified' END ELSE 'failed' END,
               CASE health WHEN 'never_fetched' THEN NULL WHEN 'healthy' THEN CASE WHEN uh < .3 THEN 200 ELSE 304 END
                    ELSE [500, 503, 404, 403][1 + floor(uh * 97)::INTEGER % 4] END,
               CASE WHEN health <> 'never_fetched' THEN TIMESTAMPTZ '{NOW}' - INTERVAL 10 MINUTE END,
               CASE health WHEN 'healthy' THEN TIMESTAMPTZ '{NOW}' - INTERVAL 10 MINUTE
                           WHEN 'failing' THEN TIMESTAMPTZ '{NOW}' - floor(uh * 2000)::INTEGER * INTERVAL 15 MINUTE
                           END,
               CASE health WHEN 'healthy' THEN 0 WHEN 'never_fetched' THEN 0
                           ELSE 1 + floor(u(lidx, language || 'errors') * 40)::INTEGER END,
               CASE WHEN health IN ('failing', 'never_ok') THEN 'HTTP ' || [500, 503, 404, 403][
                        1 + floor(uh * 97)::INTEGER % 4] || ' from ' || url END,
               CASE WHEN health = 'healthy' THEN 20 + floor(u(lidx, language || 'items') * 80)::INTEGER END
        FROM h"""
    yield "runs", f"""
        INSERT INTO runs (run_id, started_at, finished_at, status, flow_run_id, feeds_total, feeds_ok,
                          feeds_not_modified, feeds_failed, articles_new, articles_updated, articles_unchanged,
                          records_institution_mentions, records_meetings, records_mechanisms, rejects, error)
        WITH r AS (
            SELECT range AS i, TIMESTAMPTZ '{NOW}' - ({runs} - range) * INTERVAL 15 MINUTE AS started_at,
                   u(range, 'run') AS ur,
                   greatest(0, round({n} / {DAYS * 96} * (0.3 + 1.4 * u(range, 'new'))))::INTEGER AS new
            FROM range({runs}))
        SELECT md5('run ' || i), started_at,
               CASE WHEN i = {runs} - 1 THEN NULL
                    ELSE started_at + (40 + floor(ur * 200))::INTEGER * INTERVAL 1 SECOND END,
               CASE WHEN i = {runs} - 1 THEN 'running' WHEN ur < .02 THEN 'failed' ELSE 'completed' END,
               md5('flow run ' || i)::UUID::VARCHAR, {FEEDS_RU + FEEDS_EN},
               floor(({FEEDS_RU + FEEDS_EN} - 10) * .3)::INTEGER, ceil(({FEEDS_RU + FEEDS_EN} - 10) * .7)::INTEGER,
               10, new, floor(new * .05)::INTEGER, floor(new * 3)::INTEGER, floor(new * 2.2)::INTEGER,
               floor(new * .71)::INTEGER, floor(new * .43)::INTEGER, floor(new * .015)::INTEGER,
               CASE WHEN ur < .02 AND i < {runs} - 1 THEN 'Prefect task crashed: worker lost' END
        FROM r"""
    yield "feed_runs", """
        INSERT INTO feed_runs (run_id, feed_url, status, http_status, items, articles_new, articles_updated,
                               articles_unchanged, error, elapsed_ms, recorded_at)
        WITH x AS (
            SELECT r.run_id, r.started_at, f.feed_url, f.error_count > 0 AS failing,
                   u(hash(r.run_id, f.feed_url), 'fr') AS uf
            FROM runs AS r, feeds AS f WHERE f.last_status IS NOT NULL)
        SELECT run_id, feed_url,
               CASE WHEN failing AND uf < .9 OR uf < .02 THEN 'failed' WHEN uf < .3 THEN 'ok'
                    ELSE 'not_modified' END AS status,
               CASE WHEN failing AND uf < .9 OR uf < .02 THEN 503 WHEN uf < .3 THEN 200 ELSE 304 END,
               CASE WHEN NOT (failing AND uf < .9 OR uf < .02) AND uf < .3 THEN 50 ELSE 0 END,
               CASE WHEN NOT (failing AND uf < .9 OR uf < .02) AND uf < .3 THEN floor(uf * 20)::INTEGER ELSE 0 END,
               0, CASE WHEN NOT (failing AND uf < .9 OR uf < .02) AND uf < .3 THEN 50 - floor(uf * 20)::INTEGER
                       ELSE 0 END,
               CASE WHEN failing AND uf < .9 OR uf < .02 THEN 'HTTP 503' END,
               floor(50 + uf * 3000)::INTEGER, started_at + INTERVAL 30 SECOND
        FROM x"""
    yield "rejects", """
        INSERT INTO rejects (reject_id, article_id, feed_url, stage, record_type, error, payload, extractor_version,
                             rejected_at, run_id)
        WITH r AS (
            SELECT g.*, pick(u(g.n, 'rstage'), [.5, .25, .2]) AS s FROM g_articles AS g
            WHERE g.failed OR u(g.n, 'reject') < .012)
        SELECT md5('reject ' || n), CASE WHEN s = 2 AND NOT failed THEN NULL ELSE article_id END, feed_url,
               CASE WHEN failed THEN 'extract' ELSE ['validate', 'load', 'parse', 'extract'][s + 1] END,
               CASE WHEN failed THEN 'Article' WHEN s = 0 THEN ['Meeting', 'Mechanism', 'InstitutionMention'][
                        1 + n % 3] WHEN s = 2 THEN 'item' ELSE 'ArticleRevision' END,
               CASE WHEN failed THEN 'extraction took longer than 15 s'
                    WHEN s = 0 THEN '1 validation error: char_end must be greater than char_start'
                    WHEN s = 2 THEN 'item without link or guid' ELSE 'revision would turn the text into mojibake' END,
               '{"n": ' || n || ', "feed": "' || feed_url || '"}',
               CASE WHEN s <> 2 THEN '""" + VERSION + """' END, ts + INTERVAL 1 HOUR, md5('run ' || (n % 97))
        FROM r"""


# --- the cache -------------------------------------------------------------------------------

def default_cache(articles: int) -> Path:
    """/tmp/eventwire-views-1m.duckdb for a million articles, else /tmp/eventwire-views-<n>.duckdb."""
    label = "1m" if articles == 1_000_000 else str(articles)
    return Path(f"/tmp/eventwire-views-{label}.duckdb")


def build(path: Path, articles: int) -> dict[str, str]:
    """Generate the warehouse into `path` (through a .part file, so a stopped build leaves no cache);
    returns its bench_meta."""
    part = path.with_name(path.name + ".part")
    for p in (part, Path(f"{part}.wal")):
        p.unlink(missing_ok=True)
    started = time.perf_counter()
    step(f"building {path}: {articles} articles")
    con = warehouse.connect(part)
    try:
        warehouse.migrate(con)
        generate(con, articles)
        con.execute("CREATE TABLE bench_meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        meta = {"generator": GENERATOR, "seed": SEED, "articles": articles, "duckdb": duckdb.__version__,
                "build_seconds": round(time.perf_counter() - started, 1)}
        con.executemany("INSERT INTO bench_meta VALUES (?, ?)", [(k, str(v)) for k, v in meta.items()])
        con.execute("CHECKPOINT")
    finally:
        con.close()
    part.replace(path)
    step(f"built {path} in {meta['build_seconds']} s; {path.stat().st_size / 2**20:.0f} MB")
    return {k: str(v) for k, v in meta.items()}


def check_cache(path: Path, articles: int) -> dict[str, str]:
    """bench_meta of the cache at `path`; exits with a message when it was generated otherwise."""
    try:
        con = warehouse.connect(path, read_only=True)
    except warehouse.WarehouseError as e:
        sys.exit(f"cannot read the cache: {e}; run with --rebuild")
    try:
        meta = dict(con.execute("SELECT key, value FROM bench_meta").fetchall())
    except duckdb.Error:
        sys.exit(f"{path} is not a cache of bench/views_scale.py (no bench_meta); run with --rebuild or another --cache")
    finally:
        con.close()
    want = {"generator": str(GENERATOR), "seed": str(SEED), "articles": str(articles), "duckdb": duckdb.__version__}
    wrong = {k: (meta.get(k), v) for k, v in want.items() if meta.get(k) != v}
    if wrong:
        sys.exit(f"{path} was generated otherwise ({', '.join(f'{k}: {a} != {b}' for k, (a, b) in wrong.items())}); "
                 "run with --rebuild or another --cache")
    return meta


def bring_up_to_date(path: Path, views: Path | None = None) -> list[int]:
    """Apply the migrations the cache lacks and re-create the views (as a run of the current code
    would); then, to try a rewrite before it goes into warehouse/views/, the views of `views`/*.sql
    (the next run without them re-creates the shipped ones). Returns the versions applied now."""
    con = warehouse.connect(path)
    try:
        applied = warehouse.migrate(con)
        for file in sorted(views.glob("*.sql")) if views else []:
            try:
                con.execute(file.read_text(encoding="utf-8"))
            except duckdb.Error as e:
                sys.exit(f"view file {file} failed: {' '.join(str(e).split())}")
            step(f"view of {file} applied")
        con.execute("CHECKPOINT")
    except warehouse.MigrationError as e:
        sys.exit(f"{path} was generated with other migrations ({e}); run with --rebuild")
    finally:
        con.close()
    return applied


# --- the timed queries -----------------------------------------------------------------------

# Each view's natural order: how an analyst reads it (README examples, the view's comment).
NATURAL_ORDER = {
    "v_meetings": "start_date NULLS LAST, meeting_id",
    "v_mechanisms": "published_date DESC NULLS LAST, mechanism_id",
    "v_events": "last_seen_at DESC, event_id",
    "v_event_reports": "event_id, article_published_at",
    "v_mechanism_timeline": "event_id, first_reported_at",
    "v_upcoming": "start_date NULLS LAST, event_id",
    "v_institution_mentions_weekly": "week_start DESC, mentions DESC, institution_id",
    "v_feed_health": "consecutive_failures DESC, feed_url",
    "v_runs": "started_at DESC",
    "v_articles_by_language": "day DESC, language",
}

# Further typical questions per view (README examples and what the views are for).
TYPICAL = {
    "v_meetings": "SELECT kind, status, start_date, date_precision, location, list_sort(participants) "
                  "FROM v_meetings WHERE list_contains(participants, 'Казахстан') "
                  "ORDER BY start_date DESC NULLS LAST, meeting_id LIMIT 100",
    "v_mechanisms": "SELECT status, proposer, description, article_title FROM v_mechanisms "
                    "WHERE proposer = 'Kazakhstan' ORDER BY published_date DESC NULLS LAST, mechanism_id LIMIT 100",
    "v_events": "SELECT month, country, count(*) AS events FROM (SELECT date_trunc('month', start_date) AS month, "
                "unnest(countries) AS country FROM v_events WHERE event_type = 'meeting' AND start_date IS NOT NULL) "
                "GROUP BY ALL ORDER BY month DESC, events DESC LIMIT 100",
    "v_event_reports": "SELECT event_id, status, language, article_published_at, evidence FROM v_event_reports "
                       "WHERE event_id = (SELECT event_id FROM events ORDER BY articles DESC, event_id LIMIT 1) "
                       "ORDER BY article_published_at",
    "v_mechanism_timeline": "SELECT t.status, t.first_reported_at::DATE AS reported, t.proposers, t.languages "
                            "FROM v_mechanism_timeline AS t JOIN events AS e USING (event_id) "
                            "WHERE e.articles > 1 ORDER BY t.first_reported_at DESC LIMIT 100",
    "v_upcoming": "SELECT start_date, date_precision, kind, place_name, participants, articles FROM v_upcoming "
                  "WHERE start_date >= DATE '2025-12-01' ORDER BY start_date, event_id LIMIT 100",
    "v_institution_mentions_weekly": "SELECT week_start, mentions, articles FROM v_institution_mentions_weekly "
                                     "WHERE institution_id = 'sco' ORDER BY week_start",
    "v_feed_health": "SELECT name, consecutive_failures, last_error FROM v_feed_health "
                     "WHERE consecutive_failures > 0",
    "v_articles_by_language": "SELECT date_trunc('month', day) AS month, language, sum(articles) "
                              "FROM v_articles_by_language GROUP BY ALL ORDER BY ALL",
}


@dataclass(frozen=True)
class Case:
    name: str
    sql: str


def analyst_views(path: Path) -> list[str]:
    """Every view of the warehouse's main schema (from duckdb_views(), so new views are covered)."""
    con = warehouse.connect(path, read_only=True)
    try:
        return [name for (name,) in con.execute(
            "SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name = 'main' "
            "ORDER BY view_name").fetchall()]
    finally:
        con.close()


def cases(views: list[str]) -> list[Case]:
    """The timed queries: per view a count, its first 100 rows in natural order and its typical
    question (if known); then every warehouse/queries/*.sql file."""
    out = []
    for view in views:
        out.append(Case(f"{view}: count", f"SELECT count(*) FROM {view}"))
        out.append(Case(f"{view}: first 100",
                        f"SELECT * FROM {view} ORDER BY {NATURAL_ORDER.get(view, '1')} LIMIT 100"))
        if view in TYPICAL:
            out.append(Case(f"{view}: typical", TYPICAL[view]))
    for filename, sql in load_queries():
        out.append(Case(f"queries/{filename}", sql))
    return out


def run_once(path: Path, sql: str) -> tuple[float, int]:
    """(seconds, rows) of `sql` in a fresh read-only query connection; rows of a single count is the count."""
    con = warehouse.connect_for_queries(path)
    try:
        t = time.perf_counter()
        result = con.sql(sql).to_arrow_table()
        took = time.perf_counter() - t
    finally:
        con.close()
    rows = result.num_rows
    if rows == 1 and result.num_columns == 1 and result.column_names[0].startswith("count"):
        rows = result.column(0)[0].as_py()
    return took, rows


def time_case(path: Path, case: Case, runs: int) -> tuple[float, int]:
    """Best of `runs` of a case; errors name the case."""
    best, rows = float("inf"), 0
    for _ in range(runs):
        try:
            took, rows = run_once(path, case.sql)
        except duckdb.Error as e:
            raise RuntimeError(f"{case.name} failed: {' '.join(str(e).split())}\n{case.sql}") from e
        best = min(best, took)
    return best, rows


def explain(path: Path, case: Case) -> str:
    """EXPLAIN ANALYZE of a case, on a fresh read-only connection."""
    con = warehouse.connect(path, read_only=True)
    try:
        return "\n".join(row[1] for row in con.execute("EXPLAIN ANALYZE " + case.sql).fetchall())
    finally:
        con.close()


def report(results: list[tuple[Case, float, int]], target: float) -> int:
    """Print the table; the number of cases slower than `target`."""
    width = max(len(case.name) for case, _, _ in results)
    print(f"\n{'name':<{width}}  {'seconds':>8}  {'rows':>10}  result")
    slow = 0
    for case, seconds, rows in results:
        ok = seconds <= target
        slow += not ok
        print(f"{case.name:<{width}}  {seconds:8.3f}  {rows:>10}  {'PASS' if ok else 'FAIL'}")
    print(f"\n{len(results) - slow} of {len(results)} under {target:g} s (best of the runs; rows: of a count, the count)")
    return slow


def table_sizes(path: Path) -> str:
    """One line: rows of the main tables."""
    con = warehouse.connect(path, read_only=True)
    try:
        names = ["articles", "institutions", "institution_mentions", "meetings", "meeting_participants",
                 "mechanisms", "events", "reports", "entities", "rejects", "feeds", "runs", "feed_runs"]
        counts = [con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in names]
    finally:
        con.close()
    return ", ".join(f"{name} {count:,}" for name, count in zip(names, counts, strict=True))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1_000_000, help="articles in the generated warehouse")
    ap.add_argument("--cache", type=Path, help="the generated warehouse (default /tmp/eventwire-views-<n>.duckdb)")
    ap.add_argument("--rebuild", action="store_true", help="generate the cache again")
    ap.add_argument("--runs", type=int, default=3, help="runs per query, the best counts")
    ap.add_argument("--target", type=float, default=TARGET_S, help="seconds a query may take")
    ap.add_argument("--only", help="time only the cases whose name matches this regular expression")
    ap.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of every failing case")
    ap.add_argument("--views", type=Path, help="a folder of CREATE OR REPLACE VIEW files to time instead of the "
                                                 "shipped views of the same names (a rewrite on trial)")
    args = ap.parse_args(argv)
    cache = args.cache or default_cache(args.articles)
    if args.rebuild or not cache.exists():
        build(cache, args.articles)
    meta = check_cache(cache, args.articles)
    applied = bring_up_to_date(cache, args.views)
    step(f"cache {cache}: generated in {meta['build_seconds']} s, {cache.stat().st_size / 2**20:.0f} MB"
         + (f"; migrations {applied} applied now" if applied else ""))
    step(table_sizes(cache))
    todo = [c for c in cases(analyst_views(cache)) if not args.only or re.search(args.only, c.name)]
    results = []
    for case in todo:
        seconds, rows = time_case(cache, case, args.runs)
        results.append((case, seconds, rows))
        step(f"{case.name}: {seconds:.3f} s, {rows} rows")
    slow = report(results, args.target)
    if args.explain:
        for case, seconds, _ in results:
            if seconds > args.target:
                print(f"\n=== {case.name} ({seconds:.3f} s)\n{explain(cache, case)}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
