"""Alerts that reach someone: `eventwire automations` points the failing-feeds automation at a webhook
(a Prefect Custom Webhook notification block made from EVENTWIRE_ALERT_WEBHOOK_URL), and a real
`prefect server start` sends the alert to an HTTP receiver on 127.0.0.1 once a feed fails.

The path of a real alert: `eventwire run` records the failed fetch (error_count 1), `maintenance`
(failing_after 1) emits `eventwire.feed.failing`, the server's triggers service fires the automation,
its actions service renders the notification and POSTs it through the block.

One server for the module (the `prefect_server` helper of test_prefect_server.py: temporary
PREFECT_HOME, free port); each test sets up the block state it needs, so they pass alone and in
any order.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.e2e.conftest import ARTICLES
from tests.integration.test_prefect_server import ROOT, api_call, filter_, prefect_server, run_cmd
from tests.sitekit import Site, rss, serve_site

pytestmark = [pytest.mark.slow, pytest.mark.network, pytest.mark.timeout(480)]

BIN = Path(sys.executable).parent
AUTOMATION = "eventwire-feed-failing"
BLOCK = "eventwire-alerts"
ALERT_DEADLINE_S = 90
MAINTENANCE = ("import sys; from flows.settings import prefect_defaults; prefect_defaults(); "
               "from flows.maintenance import maintenance; r = maintenance(db=sys.argv[1], failing_after=1); "
               "print('failing', len(r.failing), 'events', r.events)")


# --- helpers ------------------------------------------------------------------------------------

def automation(api: str, name: str = AUTOMATION) -> dict:
    found = [a for a in filter_(api, "automations", {}) if a["name"] == name]
    assert len(found) == 1, found
    return found[0]


def alert_block(api: str) -> dict | None:
    r = api_call("GET", f"{api}/block_types/slug/custom-webhook/block_documents/name/{BLOCK}")
    return r.json() if r.status_code == 200 else None


def eventwire(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """`eventwire ...` whatever its exit status."""
    return subprocess.run([str(BIN / "eventwire"), *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def events(api: str, *names: str) -> list[dict]:
    since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 3600))
    r = api_call("POST", f"{api}/events/filter", json={
        "filter": {"event": {"name": list(names)}, "occurred": {"since": since}}, "limit": 50})
    r.raise_for_status()
    return r.json()["events"]


# --- fixtures -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tmp(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("alerts")


@pytest.fixture(scope="module")
def server(tmp) -> Iterator[tuple[str, dict[str, str]]]:
    with prefect_server(tmp) as s:   # the triggers (and actions) services are on by default
        yield s


@pytest.fixture(scope="module")
def receiver() -> Iterator[Site]:
    with serve_site() as r:         # keeps every POST the webhook block sends
        yield r


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with serve_site() as s:
        s.put("/good.xml", rss(ARTICLES[:1]))
        s.put("/broken.xml", "internal error", status=500, content_type="text/plain")
        yield s


# --- tests --------------------------------------------------------------------------------------

def test_without_a_webhook_the_automation_is_created_and_says_alerts_go_nowhere(server):
    api, env = server
    block = alert_block(api)
    if block:                                   # left by the other test: this one starts with none
        api_call("DELETE", f"{api}/block_documents/{block['id']}").raise_for_status()

    out = run_cmd(env, str(BIN / "eventwire"), "automations").stdout
    assert len(out.splitlines()) == 1, out
    assert out.startswith(f"automation {AUTOMATION}: ") and "alerts are not sent anywhere" in out
    assert "EVENTWIRE_ALERT_WEBHOOK_URL" in out
    found = automation(api)
    assert found["enabled"] and [a["type"] for a in found["actions"]] == ["do-nothing"]
    assert found["trigger"]["expect"] == ["eventwire.feed.failing"]


def test_a_bad_webhook_url_is_a_one_line_error(server):
    _, env = server
    proc = eventwire(dict(env, EVENTWIRE_ALERT_WEBHOOK_URL="ftp://127.0.0.1/hook"), "automations")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.strip().splitlines() == [
        "eventwire automations: error: EVENTWIRE_ALERT_WEBHOOK_URL: expected an http(s) URL, got "
        "'ftp://127.0.0.1/hook'"]


def test_notify_block_names_an_existing_block(server, tmp):
    api, env = server
    spec = yaml.safe_load((ROOT / "deploy" / "automations.yaml").read_text(encoding="utf-8"))["automations"][0]
    spec = {**spec, "name": "eventwire-test-named-block", "enabled": False}
    path = tmp / "named.yaml"
    path.write_text(yaml.safe_dump({"automations": [dict(spec, notify={**spec["notify"], "block": "custom-webhook/ops"})]}))
    missing = eventwire(env, "automations", "--file", str(path))
    assert missing.returncode == 2 and missing.stderr.strip().splitlines() == [
        "eventwire automations: error: notify.block custom-webhook/ops: no such block on the Prefect API "
        "(create it in the UI or with `prefect block create`)"]

    run_cmd(env, str(BIN / "python"), "-c", "from flows.automations import webhook_block; "
            "webhook_block('http://127.0.0.1:9/ops').save('ops')")
    out = run_cmd(dict(env, EVENTWIRE_ALERT_WEBHOOK_URL="http://127.0.0.1:9/unused"),
                  str(BIN / "eventwire"), "automations", "--file", str(path)).stdout
    assert out.strip() in {f"automation eventwire-test-named-block: {what}; alerts go to block custom-webhook/ops "
                           "(named in the automations file)" for what in ("created", "updated")}, out
    ops = api_call("GET", f"{api}/block_types/slug/custom-webhook/block_documents/name/ops").json()
    action, = automation(api, "eventwire-test-named-block")["actions"]
    assert action["type"] == "send-notification" and action["block_document_id"] == ops["id"]


def test_a_failing_feed_sends_an_alert_to_the_webhook(server, receiver, site, tmp):
    api, env = server
    env = dict(env, EVENTWIRE_ALERT_WEBHOOK_URL=f"{receiver.base}/hook",
               EVENTWIRE_ALERT_WEBHOOK_HEADERS='{"Authorization": "Bearer s3cret"}',
               EVENTWIRE_FETCH_RETRIES="0")
    out = run_cmd(env, str(BIN / "eventwire"), "automations").stdout
    assert out.strip() in {f"automation {AUTOMATION}: {what}; alerts go to block custom-webhook/{BLOCK} "
                           "(made from EVENTWIRE_ALERT_WEBHOOK_URL)" for what in ("created", "updated")}, out
    block = alert_block(api)
    assert block and block["data"]["url"] == f"{receiver.base}/hook"
    assert "s3cret" not in json.dumps(block["data"]["headers"])      # header values are the block's secrets
    action, = automation(api)["actions"]
    assert action["type"] == "send-notification" and action["block_document_id"] == block["id"]

    db = tmp / "alerts.duckdb"
    run_cmd(env, str(BIN / "eventwire"), "run", "-q", "--db", str(db),
            "--feeds", site.url("/good.xml"), "--feeds", site.url("/broken.xml"), timeout=300)
    out = run_cmd(env, str(BIN / "python"), "-c", MAINTENANCE, str(db), timeout=300).stdout
    assert "failing 1 events 1" in out, out
    run_id, = [r["id"] for r in filter_(api, "flow_runs", {"flows": {"name": {"any_": ["maintenance"]}}})]

    deadline = time.monotonic() + ALERT_DEADLINE_S
    while not any(b"broken.xml" in body for _, _, body in receiver.received()):
        if time.monotonic() > deadline:
            seen = events(api, "eventwire.feed.failing", "prefect.automation.triggered",
                          "prefect.automation.action.executed", "prefect.automation.action.failed")
            raise AssertionError(f"no alert in {ALERT_DEADLINE_S}s; received {receiver.received()}; events {seen}")
        time.sleep(1)

    path, headers, body = receiver.received()[0]
    assert len(receiver.received()) == 1                 # one failing feed, one alert; the good feed is not named
    assert path == "/hook" and headers["authorization"] == "Bearer s3cret"
    alert = json.loads(body)
    assert alert["subject"] == "eventwire: feed 127.0.0.1/broken.xml keeps failing"
    text = alert["body"]
    assert "Feed 127.0.0.1/broken.xml failed its last 1 fetches in a row (alert threshold 1)." in text
    assert f"URL: {site.url('/broken.xml')}" in text and "500" in text and "good.xml" not in text
    assert "Last good fetch: never" in text
    ui = api.removesuffix("/api")
    assert " by flow run " in text and f"({run_id}).\nFlow run: {ui}/runs/flow-run/{run_id}" in text
    assert text.endswith(f"/runs/flow-run/{run_id}")
    assert alert["text"] == f"{alert['subject']}\n{text}"
