"""Generate the labelled PII benchmark corpus: many CSV files plus labels.csv.

    python bench/pii/generate.py [OUT_DIR] [--files 40] [--seed 20240601]

Each file is a themed export (customers, orders, payroll, web logs, ...) in
one or a few Faker locales, with 10-15 columns, 300-2000 rows, a mix of
neutral headers (``field_3``, ``c7``, ``col_12``) and descriptive ones,
blank cells, look-alike columns and free-text comments. ``labels.csv`` names
the true entities of every column (``none`` when it holds no personal data).
Generated data is never committed: the default output is a temp directory.
"""
from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
from collections import Counter
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from faker import Faker  # noqa: E402

from bench.pii.columns import PII_KINDS, ColumnKind, seed_shared  # noqa: E402
from bench.pii.freetext import comment_plan, make_comment  # noqa: E402
from bench.pii.lookalikes import LOOKALIKE_KINDS  # noqa: E402

LOCALES = ("en_US", "en_GB", "de_DE", "da_DK", "fr_FR", "nl_NL", "es_ES", "it_IT", "sv_SE", "pl_PL")

# theme -> (PII kinds, other kinds); a file draws most of its columns from these.
THEMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "customers": (("full_name", "first_name", "last_name", "email", "phone", "street", "city", "dob",
                   "full_address", "url", "card", "cpr"),
                  ("id10", "recent_date", "country", "status", "boolean", "company", "postcode", "region")),
    "orders": (("full_name", "email", "full_address", "card", "ip", "phone"),
               ("order_id", "sku", "product", "amount", "quantity", "timestamp", "zip", "status", "currency",
                "ean", "id16")),
    "payroll": (("full_name", "name_last_first", "email", "iban", "ssn", "ssn_plain", "cpr", "dob", "street",
                 "city"),
                ("hire_date", "salary", "department", "job", "id9", "currency", "boolean")),
    "payments": (("name_last_first", "card", "iban", "email", "ip"),
                 ("amount", "currency", "timestamp", "order_id", "cvv", "id16", "reference", "status")),
    "weblogs": (("ip", "ipv6", "email", "url"),
                ("timestamp", "uuid", "user_agent", "http_status", "version4", "semver", "hash")),
    "patients": (("full_name", "first_name", "last_name", "dob", "cpr", "ssn", "phone", "full_address",
                  "city"),
                 ("recent_date", "id8", "rating", "department", "boolean", "postcode")),
    "support": (("email", "phone", "full_name"),
                ("order_id", "timestamp", "status", "product", "semver", "category", "rating", "uuid")),
    "products": (("url",),
                 ("sku", "product", "amount", "isbn", "ean", "version4", "company", "category", "year_code",
                  "quantity", "hash", "slogan")),
    "students": (("full_name", "email", "dob", "city", "phone", "cpr"),
                 ("year_code", "id8", "rating", "percent", "department", "recent_date")),
    "devices": (("ip", "email"),
                ("uuid", "version4", "semver", "hash", "plate", "coords", "timestamp", "id16", "reference")),
    "vendors": (("full_name", "phone", "email", "street", "iban"),
                ("company", "country", "currency", "amount", "id10", "slogan", "postcode")),
}

_NEUTRAL = ("field_{i}", "c{i}", "col_{i}", "column{i}", "f{i}", "attr_{i}", "x{i}", "var{i}")


def _header_case(name: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.15:
        return name.upper()
    if roll < 0.3:
        return name.replace("_", " ").title()
    return name


def _pick_pii(pii: tuple[str, ...], n: int, usage: Counter, rng: random.Random) -> list[str]:
    # Rarely drawn kinds get more weight, so every entity has enough columns.
    pool, picked = list(pii), []
    for _ in range(min(n, len(pool))):
        weights = [1.0 / (1 + usage[k]) ** 2 for k in pool]
        key = rng.choices(pool, weights)[0]
        pool.remove(key)
        picked.append(key)
        usage[key] += 1
    return picked


def _pick_kinds(theme: str, rng: random.Random, usage: Counter) -> list[ColumnKind]:
    pii, other = THEMES[theme]
    n_cols = rng.randrange(10, 16)
    n_pii = rng.randrange(4, 8)
    chosen = [PII_KINDS[k] for k in _pick_pii(pii, n_pii, usage, rng)]
    n_pii = len(chosen)
    n_other = min(len(other), n_cols - n_pii - 1)
    chosen += [LOOKALIKE_KINDS[k] for k in rng.sample(other, n_other)]
    extras = [k for k in LOOKALIKE_KINDS.values() if k not in chosen]
    while len(chosen) < n_cols - 1:
        chosen.append(rng.choice(extras))
    if rng.random() < 0.6:
        chosen.append(ColumnKind("comment", (), ("comment", "notes", "remarks", "description", "message",
                                                 "bemaerkning", "Notiz", "feedback"), lambda fk, r: "",
                                 free_text=True))
    rng.shuffle(chosen)
    return chosen


def _headers(kinds: list[ColumnKind], rng: random.Random) -> list[str]:
    neutral_style = rng.choice(_NEUTRAL)
    neutral_share = rng.choice((0.0, 0.3, 0.5, 0.8, 1.0))
    headers: list[str] = []
    for i, kind in enumerate(kinds, start=1):
        if not kind.descriptive_only and rng.random() < neutral_share:
            header = neutral_style.format(i=i)
        else:
            header = _header_case(rng.choice(kind.headers), rng)
        while header in headers:
            header = f"{header}_{i}"
        headers.append(header)
    return headers


def generate_file(path: Path, theme: str, rng: random.Random, usage: Counter) -> list[dict]:
    """Write one CSV file and return its label rows."""
    locales = [rng.choice(LOCALES)]
    if rng.random() < 0.3:
        locales += rng.sample(LOCALES, 2)
    fk = Faker(locales if len(locales) > 1 else locales[0])
    fk.seed_instance(rng.randrange(2**31))
    kinds = _pick_kinds(theme, rng, usage)
    headers = _headers(kinds, rng)
    n_rows = rng.randrange(300, 2001)
    plans = [comment_plan(rng) if k.free_text else {} for k in kinds]
    options = [k.per_column(rng) for k in kinds]
    # A third of the columns get 10-30% blank cells, the rest almost none.
    null_rates = [rng.uniform(0.1, 0.3) if rng.random() < 0.35 else rng.choice((0.0, 0.0, 0.01))
                  for _ in kinds]
    found: list[set[str]] = [set() for _ in kinds]
    rows = []
    for _ in range(n_rows):
        row = []
        for j, kind in enumerate(kinds):
            if rng.random() < null_rates[j]:
                row.append("")
            elif kind.free_text:
                row.append(make_comment(fk, rng, plans[j], found[j]))
            else:
                row.append(kind.make(fk, rng, **options[j]))
        rows.append(row)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        writer.writerows(rows)
    labels = []
    for j, kind in enumerate(kinds):
        entities = sorted(found[j]) if kind.free_text else list(kind.entities)
        labels.append({
            "file": path.name,
            "column": headers[j],
            "entities": "|".join(entities) or "none",
            "free_text": int(kind.free_text),
            "kind": kind.key,
            "locales": "+".join(locales),
        })
    return labels


def generate_corpus(out_dir: Path, files: int = 40, seed: int = 20240601) -> Path:
    """Generate ``files`` CSV files and ``labels.csv`` into ``out_dir``; return the labels path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    seed_shared(seed)
    themes = list(THEMES)
    labels: list[dict] = []
    usage: Counter = Counter()
    for i in range(files):
        theme = themes[i % len(themes)] if i < len(themes) else rng.choice(themes)
        labels += generate_file(out_dir / f"{i:02d}_{theme}.csv", theme, rng, usage)
    labels_path = out_dir / "labels.csv"
    with labels_path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(labels[0]))
        writer.writeheader()
        writer.writerows(labels)
    return labels_path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", help="output directory (default: a new temp dir)")
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args(argv)
    out = Path(args.out_dir) if args.out_dir else Path(tempfile.mkdtemp(prefix="atlas-pii-corpus-"))
    labels = generate_corpus(out, files=args.files, seed=args.seed)
    print(f"corpus written to {out} (labels: {labels.name})")


if __name__ == "__main__":
    main()
