#!/usr/bin/env python3
"""Validate the held-out golden set (stdlib only).

Usage: python3 tests/invented/regression/check.py [FILE_OR_DIR ...]
Without arguments checks tests/invented/regression/ru/*.json and tests/invented/regression/en/*.json.
Exit status 0 when every file passes, 1 otherwise.
"""
import datetime
import glob
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

TOP_KEYS = {"id", "lang", "url", "published", "title", "text",
            "institutions", "meetings", "mechanisms"}
INST_KEYS = {"name", "aliases", "optional"}
MEET_KEYS = {"anchors", "kind", "status", "date", "location", "participants", "optional"}
MECH_KEYS = {"anchors", "proposer", "status", "optional"}
EXTRA_OK = {"event_key", "note"}          # tolerated informational keys

KINDS = {"summit", "meeting", "talks", "session", "conference", "forum", "visit", "call"}
MEET_STATUS = {"past", "ongoing", "planned"}
MECH_STATUS = {"proposed", "agreed", "established", "existing"}
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ID_RE = re.compile(r"^g-(ru|en)-\d{2}$")
TEXT_MIN, TEXT_MAX = 500, 2000


def valid_partial_date(s):
    if not DATE_RE.match(s):
        return False
    parts = [int(p) for p in s.split("-")]
    try:
        if len(parts) == 3:
            datetime.date(*parts)
        elif len(parts) == 2 and not 1 <= parts[1] <= 12:
            return False
    except ValueError:
        return False
    return True


def date_floor(s):
    """Earliest day a partial date can denote."""
    p = [int(x) for x in s.split("-")] + [1, 1]
    return datetime.date(p[0], p[1], p[2])


def date_ceil(s):
    """Latest day a partial date can denote."""
    p = [int(x) for x in s.split("-")]
    if len(p) == 1:
        return datetime.date(p[0], 12, 31)
    if len(p) == 2:
        nxt = datetime.date(p[0] + (p[1] == 12), p[1] % 12 + 1, 1)
        return nxt - datetime.timedelta(days=1)
    return datetime.date(*p)


def is_str_list(x):
    return isinstance(x, list) and all(isinstance(s, str) and s.strip() for s in x)


def check_keys(errs, where, obj, required, extra=EXTRA_OK):
    if not isinstance(obj, dict):
        errs.append(f"{where}: not an object")
        return False
    missing = required - obj.keys()
    unknown = obj.keys() - required - extra
    if missing:
        errs.append(f"{where}: missing keys {sorted(missing)}")
    if unknown:
        errs.append(f"{where}: unknown keys {sorted(unknown)}")
    return not missing


def check_anchors(errs, where, anchors, text):
    if not is_str_list(anchors) or not anchors:
        errs.append(f"{where}: anchors must be a non-empty list of non-empty strings")
        return
    if len(set(anchors)) != len(anchors):
        errs.append(f"{where}: duplicate anchors")
    for a in anchors:
        if a not in text:
            errs.append(f"{where}: anchor not in text: {a!r}")
        elif a != a.strip():
            errs.append(f"{where}: anchor has leading/trailing whitespace: {a!r}")


def check_file(path, seen_ids):
    errs = []
    try:
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
    except (OSError, ValueError) as e:
        return [f"{path}: cannot parse JSON: {e}"]
    if not check_keys(errs, path, d, TOP_KEYS):
        return errs

    # identity
    if not isinstance(d["id"], str) or not ID_RE.match(d["id"]):
        errs.append(f"{path}: bad id {d['id']!r}")
    else:
        if d["id"] in seen_ids:
            errs.append(f"{path}: duplicate id {d['id']} (also {seen_ids[d['id']]})")
        seen_ids[d["id"]] = path
        if os.path.splitext(os.path.basename(path))[0] != d["id"]:
            errs.append(f"{path}: file name does not match id {d['id']}")
        if d["id"].split("-")[1] != d["lang"]:
            errs.append(f"{path}: id prefix does not match lang")
    if d["lang"] not in ("ru", "en"):
        errs.append(f"{path}: lang must be ru or en")
    elif os.path.basename(os.path.dirname(path)) in ("ru", "en") and \
            os.path.basename(os.path.dirname(path)) != d["lang"]:
        errs.append(f"{path}: lang {d['lang']} in wrong directory")
    if not isinstance(d["url"], str) or not d["url"].startswith("http"):
        errs.append(f"{path}: bad url")
    pub = d["published"]
    pub_date = None
    if pub is not None:
        if not isinstance(pub, str) or not ISO_RE.match(pub) or not valid_partial_date(pub):
            errs.append(f"{path}: published must be YYYY-MM-DD or null")
        else:
            pub_date = date_floor(pub)
    for k in ("title", "text"):
        if not isinstance(d[k], str) or not d[k].strip():
            errs.append(f"{path}: {k} must be a non-empty string")
    text = d["text"] if isinstance(d["text"], str) else ""
    if not TEXT_MIN <= len(text) <= TEXT_MAX:
        errs.append(f"{path}: text length {len(text)} outside {TEXT_MIN}-{TEXT_MAX}")

    # institutions
    if not isinstance(d["institutions"], list):
        errs.append(f"{path}: institutions must be a list")
    else:
        names = set()
        for i, it in enumerate(d["institutions"]):
            w = f"{path}: institutions[{i}]"
            if not check_keys(errs, w, it, INST_KEYS):
                continue
            if not isinstance(it["name"], str) or not it["name"].strip():
                errs.append(f"{w}: empty name")
            elif it["name"] in names:
                errs.append(f"{w}: duplicate institution {it['name']!r}")
            else:
                names.add(it["name"])
            if not isinstance(it["aliases"], list) or not all(isinstance(a, str) and a for a in it["aliases"]):
                errs.append(f"{w}: aliases must be a list of strings")
            elif it["name"] in it["aliases"]:
                errs.append(f"{w}: name repeated among aliases")
            if not isinstance(it["optional"], bool):
                errs.append(f"{w}: optional must be boolean")

    # meetings
    if not isinstance(d["meetings"], list):
        errs.append(f"{path}: meetings must be a list")
    else:
        for i, it in enumerate(d["meetings"]):
            w = f"{path}: meetings[{i}]"
            if not check_keys(errs, w, it, MEET_KEYS):
                continue
            check_anchors(errs, w, it["anchors"], text)
            if it["kind"] not in KINDS:
                errs.append(f"{w}: bad kind {it['kind']!r}")
            if it["status"] not in MEET_STATUS:
                errs.append(f"{w}: bad status {it['status']!r}")
            dt = it["date"]
            if dt is not None:
                if not isinstance(dt, str) or not valid_partial_date(dt):
                    errs.append(f"{w}: bad date {dt!r}")
                elif pub_date is not None:
                    # consistency of status with the publication date
                    if it["status"] == "past" and date_floor(dt) > pub_date:
                        errs.append(f"{w}: past meeting dated after publication")
                    if it["status"] == "planned" and date_ceil(dt) < pub_date:
                        errs.append(f"{w}: planned meeting dated before publication")
            if it["location"] is not None and (not isinstance(it["location"], str) or not it["location"].strip()):
                errs.append(f"{w}: location must be a non-empty string or null")
            if not isinstance(it["participants"], list) or not all(isinstance(p, str) and p for p in it["participants"]):
                errs.append(f"{w}: participants must be a list of strings")
            elif len(set(it["participants"])) != len(it["participants"]):
                errs.append(f"{w}: duplicate participants")
            if not isinstance(it["optional"], bool):
                errs.append(f"{w}: optional must be boolean")

    # mechanisms
    if not isinstance(d["mechanisms"], list):
        errs.append(f"{path}: mechanisms must be a list")
    else:
        for i, it in enumerate(d["mechanisms"]):
            w = f"{path}: mechanisms[{i}]"
            if not check_keys(errs, w, it, MECH_KEYS):
                continue
            check_anchors(errs, w, it["anchors"], text)
            if it["proposer"] is not None and (not isinstance(it["proposer"], str) or not it["proposer"].strip()):
                errs.append(f"{w}: proposer must be a non-empty string or null")
            if it["status"] not in MECH_STATUS:
                errs.append(f"{w}: bad status {it['status']!r}")
            if not isinstance(it["optional"], bool):
                errs.append(f"{w}: optional must be boolean")

    # the same anchor must not describe two different items of one kind
    for sec in ("meetings", "mechanisms"):
        if isinstance(d[sec], list):
            owner = {}
            for i, it in enumerate(d[sec]):
                if isinstance(it, dict) and is_str_list(it.get("anchors")):
                    for a in it["anchors"]:
                        if a in owner and owner[a] != i:
                            errs.append(f"{path}: {sec}[{i}] and [{owner[a]}] share anchor {a!r}")
                        owner[a] = i
    return errs


def main(argv):
    targets = argv or [os.path.join(HERE, "ru"), os.path.join(HERE, "en")]
    files = []
    for t in targets:
        if os.path.isdir(t):
            files += sorted(glob.glob(os.path.join(t, "*.json")))
        else:
            files.append(t)
    if not files:
        print("no files to check")
        return 1
    seen, all_errs = {}, []
    counts = {}
    for p in files:
        errs = check_file(p, seen)
        all_errs += errs
        if not errs:
            with open(p, encoding="utf-8") as f:
                d = json.load(f)
            c = counts.setdefault(d["lang"], [0, 0, 0, 0])
            c[0] += 1
            c[1] += len(d["institutions"])
            c[2] += len(d["meetings"])
            c[3] += len(d["mechanisms"])
    for e in all_errs:
        print(e)
    for lang, (n, i, m, x) in sorted(counts.items()):
        print(f"{lang}: {n} articles, {i} institutions, {m} meetings, {x} mechanisms")
    print(f"{len(files)} files, {len(all_errs)} errors")
    return 1 if all_errs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
