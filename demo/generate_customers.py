"""Writes demo/customers.csv, the demo dataset `make run` loads: 200 customers across seven countries.

Deterministic (seeded), so running it again gives the same file. It keeps a
few flaws a real export has, for the quality checks to find: missing phone
numbers, two malformed e-mail addresses, a customer exported twice (the later
row is newer), and a negative lifetime value.

    .venv/bin/python demo/generate_customers.py
"""
from __future__ import annotations

import csv
import os
import random
import sys
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path

from faker import Faker

ROWS = 200
SEED = 20240601
LOCALES = {
    "en_GB": "United Kingdom",
    "de_DE": "Germany",
    "fr_FR": "France",
    "nl_NL": "Netherlands",
    "da_DK": "Denmark",
    "es_ES": "Spain",
    "it_IT": "Italy",
}
COLUMNS = ("customer_id", "full_name", "email", "phone", "country", "city", "signup_date",
           "last_order_at", "lifetime_value", "is_active", "iban")
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def _ascii(text: str) -> str:
    """What a mail provider would accept of a name: ``Hans-Jürgen`` → ``hans-jurgen``."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain if ch.isalnum() or ch in ".-")


def _customer(fake: Faker, rng: random.Random, number: int, country: str) -> dict[str, str]:
    first, last = fake.first_name(), fake.last_name()
    signup = NOW - timedelta(days=rng.randint(30, 5 * 365))
    ordered = signup + timedelta(days=rng.randint(0, (NOW - signup).days), minutes=rng.randint(0, 1439))
    domain = rng.choice(("example.com", "example.org", "example.net", "mail.example"))
    local = _ascii(f"{first}.{last}".lower())
    return {
        "customer_id": f"C{10000 + number}",
        "full_name": f"{first} {last}",
        "email": f"{local}{rng.randint(1, 99)}@{domain}",
        "phone": fake.phone_number(),
        "country": country,
        "city": fake.city(),
        "signup_date": signup.date().isoformat(),
        "last_order_at": ordered.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "lifetime_value": f"{rng.lognormvariate(5.5, 1.0):.2f}",
        "is_active": rng.choice(("true", "true", "true", "false")),
        "iban": fake.iban(),
    }


def generate() -> list[dict[str, str]]:
    rng = random.Random(SEED)
    Faker.seed(SEED)  # every locale draws from Faker's one shared generator, in a fixed order
    fakes = {locale: Faker(locale) for locale in LOCALES}
    rows = []
    for number in range(1, ROWS):
        locale = rng.choice(list(LOCALES))
        rows.append(_customer(fakes[locale], rng, number, LOCALES[locale]))
    for index in rng.sample(range(len(rows)), 9):
        rows[index]["phone"] = ""
    rows[17]["email"] = rows[17]["email"].replace("@", " at ")
    rows[88]["email"] = rows[88]["email"].split("@")[0] + "@"
    rows[42]["lifetime_value"] = "-12.50"
    # The same customer exported again after a change: the later row is the current one.
    again = dict(rows[5], city=fakes["en_GB"].city(), last_order_at=NOW.strftime("%Y-%m-%dT%H:%M:%SZ"))
    rows.append(again)
    return rows


def main() -> None:
    if os.environ.get("PYTHONHASHSEED") != "0":
        # Some of Faker's locale data is kept in sets, whose order follows the string hash seed.
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})
    target = Path(__file__).with_name("customers.csv")
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(generate())
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
