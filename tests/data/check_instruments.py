#!/usr/bin/env python3
"""Consistency check of the shipped dimensions and Kominfo instruments.

Checks indicators/dimensions.yaml and indicators/framework/kominfo-*.yaml against the
transcription in shared/reference/kominfo-instrument.md: question counts per aspect, weights,
id format and uniqueness, dimension references, rules, and that the 2023 REGULER instrument is
the KPPN&IKN one without Kolaborasi. Needs only Python 3 and PyYAML.

Usage: python3 tests/data/check_instruments.py [WORKSPACE]   (default: repository root)
Exit status 0 when every check passes, 1 otherwise.
"""
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2]
IND = ROOT / "indicators"

DIM_IDS = {
    "governance": ["layanan-publik", "kebijakan-publik", "tata-kelola-birokrasi"],
    "branding": ["pariwisata", "bisnis", "wajah-kota"],
    "economy": ["industri", "kesejahteraan", "transaksi-keuangan"],
    "living": ["tata-ruang", "kesehatan", "mobilitas"],
    "society": ["komunitas", "pendidikan", "keamanan"],
    "environment": ["proteksi-lingkungan", "sampah-limbah", "energi"],
}
PREFIX = {"baseline": "bl", "output": "op", "outcome": "oc", "impact": "im",
          "quick-win": "qw", "kolaborasi": "kl"}
EXPECTED = {
    # id: {aspect: (weight, questions)}
    "kominfo-2022": {"baseline": (10, 5), "output": (20, 7), "outcome": (30, 31),
                     "impact": (10, 4), "quick-win": (30, 12)},
    "kominfo-2023-kppn-ikn": {"baseline": (10, 5), "output": (20, 7), "outcome": (20, 33),
                              "impact": (20, 54), "quick-win": (20, 12), "kolaborasi": (10, 6)},
    "kominfo-2023-reguler": {"baseline": (10, 5), "output": (20, 7), "outcome": (30, 33),
                             "impact": (20, 54), "quick-win": (20, 12)},
}
TOTALS = {"kominfo-2022": 59, "kominfo-2023-kppn-ikn": 117, "kominfo-2023-reguler": 111}

QID = re.compile(r"^(bl|op|oc|im|qw|kl)-\d+-\d+(\.\d+)*$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
NUMBER = re.compile(r"^\d+(\.\d+)*$")

FW_KEYS = {"id", "name", "year", "cohort", "source", "notes", "scale", "missing", "aspects", "predicates"}
ASPECT_KEYS = {"id", "name", "name_en", "weight", "indicators"}
INDICATOR_KEYS = {"id", "number", "name", "questions"}
QUESTION_KEYS = {"id", "number", "subindicator", "text", "dimension", "subdimension", "rule"}
PREDICATE_KEYS = {"min", "label", "label_en"}
RULE_KEYS = {
    "dimension-progress": {"kind", "dimension", "thresholds"},
    "program-count": {"kind", "filter", "thresholds"},
    "survey": {"kind", "questions"},
    "indicator": {"kind", "indicator", "thresholds"},
}
FILTER_KEYS = {"quick_win", "year", "dimension", "status", "collaboration", "new"}

errors = []


def err(where, msg):
    errors.append(f"{where}: {msg}")


def keys(where, obj, allowed):
    if not isinstance(obj, dict):
        err(where, f"expected a mapping, got {type(obj).__name__}")
        return
    extra = set(obj) - allowed
    if extra:
        err(where, f"unknown keys {sorted(extra)}")


def load(path, schema):
    raw = path.read_text(encoding="utf-8")
    first = raw.splitlines()[0] if raw else ""
    if first != f"# yaml-language-server: $schema={schema}":
        err(path.name, f"first line should be the schema comment for {schema}, got {first!r}")
    # printed numbers must be quoted strings ("2.1" unquoted would load as a float)
    # (question numbers sit under "- id:" lines of question ids; indicator numbers are integers)
    lines = raw.splitlines()
    for n, line in enumerate(lines, 1):
        m = re.match(r"^\s+number: (.*)$", line)
        if m and n >= 2 and QID.match(lines[n - 2].split("id:", 1)[-1].strip()):
            if not re.fullmatch(r'"[0-9.]+"', m.group(1)):
                err(f"{path.name}:{n}", f"question number must be a quoted string: {m.group(1)}")
    return yaml.safe_load(raw)


# ------------------------------------------------------------------ dimensions
dims_doc = load(IND / "dimensions.yaml", "../schemas/dimensions.schema.json")
keys("dimensions.yaml", dims_doc, {"dimensions"})
subdims = {}
dims = dims_doc.get("dimensions", [])
if [d.get("id") for d in dims] != list(DIM_IDS):
    err("dimensions.yaml", f"dimension ids/order {[d.get('id') for d in dims]} != {list(DIM_IDS)}")
for n, d in enumerate(dims, 1):
    w = f"dimensions.yaml:{d.get('id')}"
    keys(w, d, {"id", "number", "name", "name_en", "description", "subdimensions"})
    if d.get("number") != n:
        err(w, f"number {d.get('number')} != {n}")
    for k in ("name", "name_en", "description"):
        if not isinstance(d.get(k), str) or not d[k].strip():
            err(w, f"missing {k}")
    sids = [s.get("id") for s in d.get("subdimensions", [])]
    if d.get("id") in DIM_IDS and sids != DIM_IDS[d["id"]]:
        err(w, f"sub-dimension ids {sids} != {DIM_IDS[d['id']]}")
    for s in d.get("subdimensions", []):
        keys(f"{w}/{s.get('id')}", s, {"id", "name", "name_en", "description"})
        for k in ("name", "name_en", "description"):
            if not isinstance(s.get(k), str) or not s[k].strip():
                err(f"{w}/{s.get('id')}", f"missing {k}")
    subdims[d.get("id")] = set(sids)
dim_order = [d.get("id") for d in dims]


# ------------------------------------------------------------------ instruments
def check_rule(where, rule, qids):
    kind = rule.get("kind")
    if kind not in RULE_KEYS:
        err(where, f"unknown rule kind {kind!r}")
        return
    keys(where + " rule", rule, RULE_KEYS[kind])
    if "thresholds" in RULE_KEYS[kind]:
        t = rule.get("thresholds")
        if not (isinstance(t, list) and len(t) == 3 and all(isinstance(x, (int, float)) for x in t)
                and t[0] < t[1] < t[2]):
            err(where, f"thresholds must be 3 ascending numbers, got {t}")
    if kind == "dimension-progress" and rule.get("dimension") not in subdims:
        err(where, f"rule dimension {rule.get('dimension')!r} not in dimensions.yaml")
    if kind == "program-count":
        f = rule.get("filter", {})
        keys(where + " filter", f, FILTER_KEYS)
        if "year" in f and f["year"] not in ("current", "previous"):
            err(where, f"filter year {f['year']!r}")
        if "dimension" in f and f["dimension"] not in subdims:
            err(where, f"filter dimension {f['dimension']!r} not in dimensions.yaml")
    if kind == "survey":
        for pat in rule.get("questions", []):
            rx = re.compile("^" + re.escape(pat).replace(r"\*", ".*") + "$")
            if not any(rx.match(q) for q in qids):
                err(where, f"survey rule matches no question: {pat}")


def check_instrument(path):
    fw = load(path, "../../schemas/framework.schema.json")
    name = path.stem
    keys(name, fw, FW_KEYS)
    if fw.get("id") != name:
        err(name, f"id {fw.get('id')!r} != file stem")
    if fw.get("scale") != {"min": 0.0, "max": 4.0}:
        err(name, f"scale {fw.get('scale')}")
    if fw.get("missing") not in ("zero", "exclude"):
        err(name, f"missing {fw.get('missing')!r}")
    if not isinstance(fw.get("source"), str) or not fw["source"].strip():
        err(name, "source is required for shipped instruments")
    aspects = fw.get("aspects", [])
    total_w = sum(a.get("weight", 0) for a in aspects)
    if total_w != 100:
        err(name, f"weights sum to {total_w}, not 100")
    exp = EXPECTED.get(name)
    if exp is not None and [a.get("id") for a in aspects] != list(exp):
        err(name, f"aspects {[a.get('id') for a in aspects]} != {list(exp)}")

    qids = [q.get("id") for a in aspects for i in a.get("indicators", []) for q in i.get("questions", [])]
    dupes = sorted({q for q in qids if qids.count(q) > 1})
    if dupes:
        err(name, f"duplicate question ids {dupes}")
    if name in TOTALS and len(qids) != TOTALS[name]:
        err(name, f"{len(qids)} questions, expected {TOTALS[name]}")

    counts = {}
    for a in aspects:
        aid = a.get("id")
        wa = f"{name}/{aid}"
        keys(wa, a, ASPECT_KEYS)
        prefix = PREFIX.get(aid)
        if prefix is None:
            err(wa, "unknown aspect id")
        inds = a.get("indicators", [])
        iids = [i.get("id") for i in inds]
        if len(set(iids)) != len(iids):
            err(wa, f"duplicate indicator ids {iids}")
        if [i.get("number") for i in inds] != list(range(1, len(inds) + 1)):
            err(wa, f"indicator numbers {[i.get('number') for i in inds]} are not 1..n")
        n = 0
        for ind in inds:
            wi = f"{wa}/{ind.get('id')}"
            keys(wi, ind, INDICATOR_KEYS)
            if not SLUG.match(str(ind.get("id"))):
                err(wi, "indicator id is not a slug")
            for q in ind.get("questions", []):
                n += 1
                qid = q.get("id")
                wq = f"{name}/{qid}"
                keys(wq, q, QUESTION_KEYS)
                num = q.get("number")
                if not isinstance(num, str) or not NUMBER.match(num):
                    err(wq, f"number {num!r} must be a printed number string")
                if not QID.match(str(qid)):
                    err(wq, "id does not match ^(bl|op|oc|im|qw|kl)-\\d+-\\d+(\\.\\d+)*$")
                if qid != f"{prefix}-{ind.get('number')}-{num}":
                    err(wq, f"id should be {prefix}-{ind.get('number')}-{num}")
                for k in ("subindicator", "text"):
                    if not isinstance(q.get(k), str) or not q[k].strip():
                        err(wq, f"missing {k}")
                dim, sub = q.get("dimension"), q.get("subdimension")
                if dim is not None and dim not in subdims:
                    err(wq, f"dimension {dim!r} not in dimensions.yaml")
                if sub is not None:
                    if dim is None:
                        err(wq, "subdimension without dimension")
                    elif sub not in subdims.get(dim, ()):
                        err(wq, f"subdimension {sub!r} is not a sub-dimension of {dim!r}")
                if "rule" in q:
                    check_rule(wq, q["rule"], qids)
                # aspect-specific structure
                text = q.get("text", "")
                if aid == "outcome" and text.startswith("Sejauh mana program smart "):
                    if dim is None:
                        err(wq, "outcome programme question without dimension")
                    elif f"program smart {dim} " not in text:
                        err(wq, f"dimension {dim} does not match the text")
                    r = q.get("rule", {})
                    if r.get("kind") != "dimension-progress" or r.get("dimension") != dim:
                        err(wq, "outcome programme question needs a dimension-progress rule on its dimension")
                if aid == "impact" and fw.get("year", 0) >= 2023:
                    d_no = ind.get("number")
                    k = int(num.split(".")[1]) if num.count(".") == 2 else 0
                    if d_no is None or not 1 <= d_no <= 6 or dim != dim_order[d_no - 1]:
                        err(wq, f"impact indicator {d_no} should carry dimension {dim_order[d_no - 1] if d_no and 1 <= d_no <= 6 else '?'}")
                    elif not 1 <= k <= 3 or sub != DIM_IDS[dim][k - 1]:
                        err(wq, f"subdimension {sub!r} does not match number {num}")
                    if q.get("rule") != {"kind": "survey", "questions": [qid]}:
                        err(wq, "impact survey question needs {kind: survey, questions: [<own id>]}")
                if aid == "kolaborasi":
                    if dim is None or f"dimensi smart {dim} " not in text:
                        err(wq, "kolaborasi question needs the dimension named in its text")
        counts[aid] = n
        if exp is not None and aid in exp:
            w, c = exp[aid]
            if a.get("weight") != w:
                err(wa, f"weight {a.get('weight')} != {w}")
            if n != c:
                err(wa, f"{n} questions, expected {c}")

    preds = fw.get("predicates", [])
    mins = [p.get("min") for p in preds]
    for p in preds:
        keys(f"{name}/predicates", p, PREDICATE_KEYS)
    if mins != sorted(mins, reverse=True) or (mins and mins[-1] != 0.0):
        err(name, f"predicate mins must be descending and end at 0.0: {mins}")
    print(f"{name}: {len(qids)} questions " + " ".join(f"{k}={v}" for k, v in counts.items())
          + f", weights {'/'.join(str(a.get('weight')) for a in aspects)} (sum {total_w})")
    return fw


instruments = {}
for path in sorted((IND / "framework").glob("*.yaml")):
    instruments[path.stem] = check_instrument(path)
for name in EXPECTED:
    if name not in instruments:
        err(name, "shipped instrument is missing")

# REGULER = KPPN&IKN minus Kolaborasi (same aspects, indicators and questions; only weights differ)
kp, rg = instruments.get("kominfo-2023-kppn-ikn"), instruments.get("kominfo-2023-reguler")
if kp and rg:
    def strip(fw, drop):
        return [{k: v for k, v in a.items() if k != "weight"} for a in fw["aspects"] if a["id"] not in drop]
    if strip(kp, {"kolaborasi"}) != strip(rg, set()):
        err("kominfo-2023-reguler", "aspects/questions differ from kominfo-2023-kppn-ikn minus kolaborasi")
    if kp.get("predicates") != rg.get("predicates"):
        err("kominfo-2023-reguler", "predicates differ from kominfo-2023-kppn-ikn")
    if not any("REGULER" in n and "Kolaborasi" in n for n in rg.get("notes", [])):
        err("kominfo-2023-reguler", "notes must state the REGULER question-list assumption")

if errors:
    print(f"\n{len(errors)} problem(s):", file=sys.stderr)
    for e in errors:
        print("  " + e, file=sys.stderr)
    sys.exit(1)
print("all instrument checks passed")
