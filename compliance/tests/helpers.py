"""Realistic personal data and look-alikes (Faker), and running the real pipeline on them."""
from __future__ import annotations

import csv
import datetime
import json
import random
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.db import connection, connections
from faker import Faker
from psycopg import sql

from atlas import warehouse

ROWS = 240


def faker(seed: int = 4) -> Faker:
    fake = Faker("en_US")
    fake.seed_instance(seed)
    return fake


def dk_cpr(rng: random.Random) -> str:
    """A Danish CPR number with a real, past birth date: DDMMYY-XXXX."""
    from stdnum.dk import cpr

    while True:  # the sequence's first digit picks the century; keep numbers whose date is in the past
        born = datetime.date(1940, 1, 1) + datetime.timedelta(days=rng.randrange(0, 60 * 365))
        number = f"{born:%d%m%y}-{rng.randrange(0, 10000):04d}"
        if cpr.is_valid(number):
            return number


def entity_columns(fake: Faker, rng: random.Random) -> dict[str, tuple[str, Callable[[], str]]]:
    """Column → (expected entity, value generator): one column per entity Atlas must find."""
    return {
        "email": ("EMAIL_ADDRESS", fake.email),
        "phone": ("PHONE_NUMBER", fake.phone_number),
        "full_name": ("PERSON", fake.name),
        "street_address": ("LOCATION", lambda: fake.street_address() + ", " + fake.city()),
        "ssn": ("US_SSN", fake.ssn),
        "card_number": ("CREDIT_CARD",
                        lambda: fake.credit_card_number(card_type=rng.choice(["visa16", "mastercard"]))),
        "field_3": ("IBAN_CODE", fake.iban),
        "ip": ("IP_ADDRESS", fake.ipv4_public),
        "cpr": ("DK_CPR", lambda: dk_cpr(rng)),
        "date_of_birth": ("DATE_OF_BIRTH",
                          lambda: fake.date_of_birth(minimum_age=18, maximum_age=90).isoformat()),
        "website": ("URL", fake.url),
    }


PRODUCTS = ["Safari Jacket", "Trail Runner 2", "Aero Mug", "Kettle Pro", "Desk Lamp", "Yoga Mat",
            "Rain Shell",             "Camp Stove", "Bike Light", "Notebook A5"]


def lookalike_columns(fake: Faker, rng: random.Random) -> dict[str, Callable[[], str]]:
    """Column → generator of values that look like personal data but are not."""
    return {
        "order_id": lambda: f"ORD-{rng.randrange(10**6, 10**7)}",
        "sku": lambda: f"SKU-{rng.randrange(10**5, 10**6)}-{rng.choice('ABCDEF')}",
        "uuid": lambda: str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "app_version": lambda: ".".join(str(rng.randrange(0, 12)) for _ in range(4)),
        "amount": lambda: f"{rng.uniform(1, 5000):.2f}",
        "created_at": lambda: fake.date_time_between("-2y").isoformat(sep=" ", timespec="seconds"),
        "product": lambda: rng.choice(PRODUCTS),
        "company": fake.company,
        "academic_year": lambda: f"{(y := rng.randrange(2010, 2025))}/{y + 1}",
        "quantity": lambda: str(rng.randrange(1, 999)),
    }


def people_rows(rows: int = ROWS, seed: int = 4) -> tuple[list[list[str]], dict[str, str], list[str]]:
    """A header and rows holding every entity, every look-alike and a free-text comment.

    Returns ``(rows, expected entity per column, look-alike columns)``.
    """
    fake, rng = faker(seed), random.Random(seed)
    entities = entity_columns(fake, rng)
    lookalikes = lookalike_columns(fake, rng)
    header = ["id", *entities, *lookalikes, "comment"]
    data = [header]
    for number in range(1, rows + 1):
        comment = fake.sentence(nb_words=10)
        if number % 3 == 0:
            comment += f" Write to {fake.email()} before Friday."
        data.append([str(number), *(make() for _, make in entities.values()),
                     *(make() for make in lookalikes.values()), comment])
    return data, {name: entity for name, (entity, _) in entities.items()}, list(lookalikes)


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def ingest(path: Path, dataset: str, **options) -> dict:
    """``atlas_ingest PATH --dataset NAME --format json --force``: the run's report."""
    out = StringIO()
    call_command("atlas_ingest", str(path), dataset=dataset, output="json", force=True, stdout=out, **options)
    return json.loads(out.getvalue())


def pii_of(report: dict) -> dict[str, list[str]]:
    """Column name → entities in the report's ``columns[].pii``."""
    return {c["name"]: [p["entity"] for p in c["pii"]] for c in report["columns"]}


def drop_warehouse_tables() -> None:
    """Empty explore, chart and navigate (Django's flush does not reach them)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT schemaname, tablename FROM pg_tables WHERE schemaname = ANY(%s)",
                       [list(warehouse.SCHEMAS)])
        for schema, name in cursor.fetchall():
            cursor.execute(sql.SQL("DROP TABLE IF EXISTS {} CASCADE").format(warehouse.table(schema, name))
                           .as_string(cursor.connection))


@contextmanager
def committed_data(django_db_blocker):
    """Data ingested once for a module, committed for real, wiped afterwards."""
    with django_db_blocker.unblock():
        drop_warehouse_tables()
        try:
            yield
        finally:
            drop_warehouse_tables()
            for alias in connections:
                call_command("flush", interactive=False, verbosity=0, database=alias)


def layer_rows(schema: str, table: str, columns: list[str], order: str = "_atlas_row") -> list[tuple]:
    """All rows of ``schema.table`` (selected columns), in ``order``."""
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("SELECT {} FROM {} ORDER BY {}").format(
            warehouse.column_list(columns), warehouse.table(schema, table), sql.Identifier(order),
        ).as_string(cursor.connection))
        return cursor.fetchall()
