"""The only place that reads the environment: `EVENTWIRE_*` variables, with defaults.

Library functions take keyword arguments; the flow builds `Settings` once and passes
plain values (paths, numbers) down.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from feeds.security import parse_networks

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FEEDS_FILE = PROJECT_ROOT / "deploy" / "feeds.toml"


ENV_PREFIX = "EVENTWIRE_"


class SettingsError(ValueError):
    """A setting that cannot be used, named as the user set it: the environment variable
    (`EVENTWIRE_BATCH_SIZE='abc': ...`) or the argument that overrode it."""


def _setting_problem(error: dict, overrides: dict) -> str:
    field = str(error["loc"][0]) if error.get("loc") else "?"
    if field in overrides:
        where = f"{field}={overrides[field]!r}"
    else:
        var = ENV_PREFIX + field.upper()
        where = f"{var}={os.environ[var]!r}" if var in os.environ else var
    return f"{where}: {error['msg']}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore")

    def __init__(self, **values: object) -> None:
        try:
            super().__init__(**values)
        except ValidationError as e:
            raise SettingsError("; ".join(_setting_problem(err, values) for err in e.errors())) from None

    db: Path = Field(default=Path("data/eventwire.duckdb"), description="the DuckDB warehouse file")
    feeds_file: Path = Field(default=DEFAULT_FEEDS_FILE, description="TOML list of feeds")
    batch_size: int = Field(default=50, ge=1, le=5000, description="articles per extraction task")
    extract_attempts: int = Field(default=3, ge=1, le=100, description="runs that try a failing article before "
                                  "it is given up (a 'gave up' reject; `eventwire reprocess` tries again)")
    extract_processes: int = Field(
        default_factory=lambda: os.cpu_count() or 1, ge=0, le=64,
        description="worker processes that extract articles, each loading the models once (default: one per "
        "core); 0: extract in the run's own process. Not used with the Dask runner (its workers are processes)")
    extract_processes_from: int = Field(
        default=20, ge=1, description="a run with fewer articles to extract does it in its own process "
        "(starting workers costs seconds)")
    feed_concurrency: int = Field(default=8, ge=1, le=64, description="feeds fetched at once")
    page_concurrency: int = Field(default=4, ge=1, le=32, description="linked pages fetched at once per feed")
    max_feed_bytes: int = Field(default=20_000_000, ge=1024, description="feed size cap")
    max_page_bytes: int = Field(default=2_000_000, ge=1024, description="linked page size cap")
    fetch_timeout_s: float = Field(default=30.0, gt=0, description="total time for one fetch")
    fetch_retries: int = Field(default=2, ge=0, le=10, description="retries of a transiently failing feed")
    retry_delay_s: float = Field(default=2.0, ge=0, description="first retry delay; doubles each retry")
    fetch_pages: bool = Field(default=True, description="fetch linked pages for items without full text")
    # --- time of one feed, linked-page caps (flows/steps.py FetchBudget, feeds/pages.py PageCaps) ---
    fetch_budget_s: float = Field(
        default=120.0, gt=0, description="longest time one feed's fetch may take over all its attempts, "
        "retry delays and Retry-After waits included")
    max_pages_per_feed: int = Field(default=50, ge=0, description="linked pages fetched per feed (the first links)")
    max_pages_per_run: int = Field(
        default=500, ge=0, description="linked pages fetched per run (per worker process with the Dask runner)")
    page_time_per_feed_s: float = Field(default=120.0, gt=0, description="wall time for all linked pages of one feed")
    page_extract_timeout_s: float = Field(
        default=10.0, gt=0, description="main-text extraction time per page (its worker process is killed)")
    allow_networks: str = Field(
        default="", description="comma-separated CIDRs that feeds, redirects and article links may reach "
        "although private/loopback/link-local (SSRF guard, feeds/security.py); empty: public addresses only")
    # --- one writer at a time (flows/concurrency.py) ---
    on_overlap: Literal["wait", "skip"] = Field(
        default="wait", description="when another run is writing the same warehouse: wait (queue) or skip")
    writer_wait_s: float = Field(default=3600.0, ge=0, description="longest wait for the writer slot, then skip")
    # --- task runner (flows/runners.py) ---
    task_runner: Literal["thread", "dask"] = Field(default="thread", description="thread pool, or Dask")
    dask_address: str | None = Field(default=None, description="an existing Dask scheduler (tcp://host:8786)")
    dask_workers: int | None = Field(default=None, ge=1, le=256, description="local Dask cluster size")
    # --- schedules and maintenance (deploy/prefect.yaml, flows/serve.py, flows/maintenance.py) ---
    cron: str = Field(default="*/15 * * * *", description="cron of the ingest deployment")
    timezone: str = Field(default="UTC", description="timezone of the schedules (IANA name)")
    maintenance_cron: str = Field(default="30 3 * * *", description="cron of the nightly maintenance")
    retention_days: int = Field(default=30, ge=1, description="runs/feed_runs rows and Prefect runs kept")
    revisions_kept: int = Field(default=5, ge=0, le=1000, description="earlier versions of an article kept by "
                                "maintenance (article_revisions), newest first")
    revision_retention_days: int = Field(default=365, ge=1, description="earlier versions of articles replaced "
                                         "longer ago than this are deleted by maintenance")
    failing_after: int = Field(default=3, ge=1, description="consecutive failed fetches that make a feed failing")
    # --- alerts of the automations (flows/automations.py, deploy/automations.yaml) ---
    alert_webhook_url: str | None = Field(
        default=None, description="http(s) URL that `eventwire automations` points the alert block at (a Prefect "
        "Custom Webhook notification block); unset: an existing block, or alerts go nowhere")
    alert_webhook_method: Literal["POST", "PUT", "PATCH"] = Field(default="POST", description="method of the alert")
    alert_webhook_headers: dict[str, str] = Field(
        default_factory=dict, description='JSON object of request headers, e.g. {"Authorization": "Bearer ..."} '
        "(kept as the block's secrets)")
    alert_webhook_json: dict[str, object] | None = Field(
        default=None, description="JSON body template of the alert; {{subject}}, {{body}}, {{name}} are replaced "
        '(default {"text": "{{subject}}\\n{{body}}", "subject": "{{subject}}", "body": "{{body}}"})')
    alert_block: str = Field(default="eventwire-alerts", description="name of the alert block (custom-webhook/<name>)")


    @field_validator("allow_networks")
    @classmethod
    def _networks(cls, value: str) -> str:
        parse_networks(value)  # a typo in a CIDR is a configuration error, not a silent "allow nothing"
        return value


def prefect_defaults() -> None:
    """Offline-friendly Prefect defaults, set before Prefect is imported (users may override)."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", "eventwire")  # eventwire's log lines in the run logs
    # the ephemeral API server (no PREFECT_API_URL) takes ~10 s to start, far more on a loaded
    # machine; Prefect's default of 20 s would fail a run for that alone
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
