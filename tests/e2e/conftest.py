from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.sitekit import Site, serve_site

BIN = Path(sys.executable).parent / "eventwire"

ARTICLES = [
    {"guid": "t-1", "title": "Переговоры в Душанбе", "link": "http://test.example/1",
     "published": datetime(2025, 4, 2, 8, 0, tzinfo=UTC),
     "text": "Министр иностранных дел Таджикистана Рустам Сафаров провел переговоры с министром "
             "иностранных дел Казахстана Нурланом Абдиевым в Душанбе.\nСтороны договорились создать "
             "совместную рабочую группу по водным ресурсам. Сафаров предложил учредить региональный "
             "водный центр под эгидой Организации Объединенных Наций."},
    {"guid": "t-2", "title": "Саммит ШОС", "link": "http://test.example/2",
     "published": datetime(2025, 4, 3, 9, 30, tzinfo=UTC),
     "text": "Саммит Шанхайской организации сотрудничества пройдет в Бишкеке в июне, сообщили в "
             "Министерстве иностранных дел Киргизии.\nГлавы государств обсудят создание банка развития ШОС."},
    {"guid": "t-3", "title": "Погода", "link": "http://test.example/3",
     "published": datetime(2025, 4, 3, 12, 0, tzinfo=UTC),
     "text": "В выходные в Алматы ожидается дождь, температура воздуха составит от восьми до "
             "двенадцати градусов тепла. Синоптики советуют взять зонт."},
]


@pytest.fixture()
def site() -> Iterator[Site]:
    with serve_site() as s:
        yield s


@pytest.fixture()
def cli_env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "prefect-home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "EVENTWIRE_"))}
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1",
               PREFECT_LOGGING_LEVEL="WARNING", PYTHONUNBUFFERED="1")
    return env


def run_cli(env: dict[str, str], *args: str, input: str | None = None, timeout: int = 300,
            cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN), *args], env=env, capture_output=True, text=True, input=input,
                          timeout=timeout, cwd=cwd)
