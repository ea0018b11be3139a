"""`eventwire automations`: create or update the automations of deploy/automations.yaml on the Prefect API.

The file holds the definitions as data (the shape `prefect automation create -f` reads: a list
under `automations:`); this command is idempotent — an automation of the same name is updated in
place, never duplicated.

One key is eventwire's own: `notify:` (`subject`, `body`, optional `block`) becomes a Prefect
`send-notification` action, which the server's actions service runs when the automation fires
(rendering `subject` and `body` as Jinja templates with `event`, `flow_run`, `flow`, ... and the
`ui_url` filter). The notification block it sends through is, first match wins:

1. `notify.block: <block type slug>/<name>` — an existing block (`slack-webhook/ops`,
   `ms-teams-webhook/ops`, `custom-webhook/...`), made in the UI or with `prefect block create`;
2. `custom-webhook/<EVENTWIRE_ALERT_BLOCK>` (`eventwire-alerts`) created or updated from
   `EVENTWIRE_ALERT_WEBHOOK_URL` (method, headers and JSON body template from settings too);
3. that block when it exists already (made by an earlier `eventwire automations`, or in the UI).

With none of them the automation is still created with the file's other actions (`do-nothing`),
and the result says that alerts are not sent anywhere. `prefect automation create -f` ignores
`notify:`, so the file stays valid for Prefect's own CLI.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

import yaml

from flows.settings import PROJECT_ROOT, Settings

AUTOMATIONS_FILE = PROJECT_ROOT / "deploy" / "automations.yaml"
WEBHOOK_BLOCK_TYPE = "custom-webhook"
DEFAULT_WEBHOOK_JSON: dict[str, Any] = {"text": "{{subject}}\n{{body}}", "subject": "{{subject}}", "body": "{{body}}"}
NOTIFY_KEYS = frozenset({"block", "subject", "body"})
NO_ALERTS = ("alerts are not sent anywhere: no EVENTWIRE_ALERT_WEBHOOK_URL, no notify.block, no block "
             "{block} (deploy/README.md, Alerts)")


@dataclass(frozen=True)
class AlertTarget:
    """The notification block an automation's alerts go through."""
    block: str                  # "<block type slug>/<name>"
    block_document_id: UUID
    origin: str                 # how it was found, for the command's output


def load_automation_specs(path: Path = AUTOMATIONS_FILE) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    specs = data.get("automations", [data] if "name" in data else [])
    if not specs:
        raise ValueError(f"{path}: no automation found (expected a list under 'automations:')")
    return specs


# --- the notification block --------------------------------------------------------------------

def webhook_block(url: str, *, method: str = "POST", headers: dict[str, str] | None = None,
                  json_data: dict[str, Any] | None = None) -> Any:
    """A `CustomWebhookNotificationBlock` for `url`; header values are kept as the block's secrets
    (hidden in the UI). `json_data` is the body template ({{subject}}, {{body}}, {{name}})."""
    from prefect.blocks.notifications import CustomWebhookNotificationBlock

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"EVENTWIRE_ALERT_WEBHOOK_URL: expected an http(s) URL, got {url[:80]!r}")
    secrets = {f"header_{i}": value for i, value in enumerate((headers or {}).values())}
    try:
        return CustomWebhookNotificationBlock(
            name="eventwire", url=url, method=method,
            json_data=DEFAULT_WEBHOOK_JSON if json_data is None else json_data,
            headers={key: f"{{{{header_{i}}}}}" for i, key in enumerate(headers or {})} or None,
            secrets=secrets)
    except KeyError as e:  # a placeholder other than subject, body, name
        raise ValueError(f"EVENTWIRE_ALERT_WEBHOOK_JSON: unknown placeholder {e.args[0]!r} "
                         "(known: {{subject}}, {{body}}, {{name}})") from e


def find_notification_block(ref: str) -> UUID | None:
    """The id of block `<type slug>/<name>` on the current API, None when there is none;
    ValueError when `ref` is malformed or the block cannot notify."""
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    slug, _, name = ref.partition("/")
    if not slug or not name:
        raise ValueError(f"notify.block {ref!r}: expected <block type slug>/<block name>, "
                         "e.g. custom-webhook/eventwire-alerts")
    with get_client(sync_client=True) as client:
        try:
            doc = client.read_block_document_by_name(name, slug, include_secrets=False)
        except ObjectNotFound:
            return None
    if doc.block_schema is not None and "notify" not in doc.block_schema.capabilities:
        raise ValueError(f"block {ref} is not a notification block (it cannot send alerts)")
    return doc.id


def alert_target(notify: dict[str, Any], settings: Settings) -> AlertTarget | None:
    """Where the alerts of one `notify:` go (see the module docstring), None: nowhere."""
    if notify.get("block"):
        ref = str(notify["block"])
        found = find_notification_block(ref)
        if found is None:
            raise ValueError(f"notify.block {ref}: no such block on the Prefect API "
                             "(create it in the UI or with `prefect block create`)")
        return AlertTarget(ref, found, "named in the automations file")
    ref = f"{WEBHOOK_BLOCK_TYPE}/{settings.alert_block}"
    if settings.alert_webhook_url:
        block = webhook_block(settings.alert_webhook_url, method=settings.alert_webhook_method,
                              headers=settings.alert_webhook_headers, json_data=settings.alert_webhook_json)
        return AlertTarget(ref, block.save(settings.alert_block, overwrite=True),
                           "made from EVENTWIRE_ALERT_WEBHOOK_URL")
    found = find_notification_block(ref)
    return AlertTarget(ref, found, "existing") if found else None


def notification_action(notify: dict[str, Any], block_document_id: UUID) -> dict[str, Any]:
    action = {"type": "send-notification", "block_document_id": str(block_document_id), "body": notify["body"]}
    if notify.get("subject"):
        action["subject"] = notify["subject"]
    return action


def with_notification(spec: dict[str, Any], settings: Settings,
                      targets: dict[str, AlertTarget | None]) -> tuple[dict[str, Any], str]:
    """`spec` with its `notify:` turned into a send-notification action (replacing `do-nothing`),
    and a note on where its alerts go ("" without `notify:`)."""
    spec = dict(spec)
    notify = spec.pop("notify", None)
    if notify is None:
        return spec, ""
    if not isinstance(notify, dict) or not notify.get("body") or set(notify) - NOTIFY_KEYS:
        raise ValueError(f"automation {spec.get('name')}: notify must be a mapping with body and optional "
                         f"subject, block (got {notify!r:.120})")
    key = str(notify.get("block") or "")
    if key not in targets:
        targets[key] = alert_target(notify, settings)
    target = targets[key]
    if target is None:
        return spec, NO_ALERTS.format(block=f"{WEBHOOK_BLOCK_TYPE}/{settings.alert_block}")
    actions = [a for a in spec.get("actions") or [] if a.get("type") != "do-nothing"]
    spec["actions"] = [*actions, notification_action(notify, target.block_document_id)]
    return spec, f"alerts go to block {target.block} ({target.origin})"


# --- the automations ---------------------------------------------------------------------------

def apply_automations(path: Path = AUTOMATIONS_FILE, *, settings: Settings | None = None) -> list[tuple[str, str]]:
    """Create or update every automation of `path`; returns (name, what) pairs, `what` being 'created' or
    'updated', followed for an automation with `notify:` by where its alerts go ('; alerts go to block ...'
    or '; alerts are not sent anywhere: ...')."""
    from prefect.automations import Automation

    settings = settings or Settings()
    targets: dict[str, AlertTarget | None] = {}
    done = []
    for raw in load_automation_specs(path):
        spec, note = with_notification(raw, settings, targets)
        wanted = Automation.model_validate(spec)
        try:
            existing = Automation.read(name=wanted.name)
        except ValueError:
            wanted.create()
            what = "created"
        else:
            wanted.id = existing.id
            wanted.update()
            what = "updated"
        done.append((wanted.name, f"{what}; {note}" if note else what))
    return done
