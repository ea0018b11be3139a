"""`eventwire automations`: create or update the automations of deploy/automations.yaml on the Prefect API.

The file holds the definitions as data (the same shape `prefect automation create -f`
reads: a list under `automations:`); this command is idempotent — an automation of the
same name is updated in place, never duplicated.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from flows.settings import PROJECT_ROOT

AUTOMATIONS_FILE = PROJECT_ROOT / "deploy" / "automations.yaml"


def load_automation_specs(path: Path = AUTOMATIONS_FILE) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    specs = data.get("automations", [data] if "name" in data else [])
    if not specs:
        raise ValueError(f"{path}: no automation found (expected a list under 'automations:')")
    return specs


def apply_automations(path: Path = AUTOMATIONS_FILE) -> list[tuple[str, str]]:
    """Create or update every automation of `path`; returns (name, 'created' | 'updated') pairs."""
    from prefect.automations import Automation

    done = []
    for spec in load_automation_specs(path):
        wanted = Automation.model_validate(spec)
        try:
            existing = Automation.read(name=wanted.name)
        except ValueError:
            wanted.create()
            done.append((wanted.name, "created"))
            continue
        wanted.id = existing.id
        wanted.update()
        done.append((wanted.name, "updated"))
    return done
