"""Column kinds that hold no personal data, many of them PII look-alikes.

Order ids, SKUs, versions, amounts, 16-digit ids, zip codes and the like are
what a naive detector flags; ordinary business columns (status, country,
quantity) are here too so the corpus looks like real exports.
"""
from __future__ import annotations

import random
import string
from datetime import date, datetime, timedelta

from faker import Faker

from .columns import ColumnKind, random_date, us_faker

_ADJ = ("Ergonomic", "Small", "Rustic", "Intelligent", "Gorgeous", "Incredible", "Fantastic", "Practical",
        "Sleek", "Awesome", "Generic", "Handcrafted", "Licensed", "Refined", "Tasty", "Premium", "Compact",
        "Classic", "Deluxe", "Portable")
_MATERIAL = ("Steel", "Wooden", "Concrete", "Plastic", "Cotton", "Granite", "Rubber", "Metal", "Soft",
             "Fresh", "Frozen", "Bamboo", "Leather", "Glass", "Ceramic", "Wool")
_PRODUCT = ("Chair", "Car", "Computer", "Keyboard", "Mouse", "Bike", "Ball", "Gloves", "Pants", "Shirt",
            "Table", "Shoes", "Hat", "Towels", "Soap", "Tuna", "Chicken", "Fish", "Cheese", "Bacon", "Pizza",
            "Salad", "Sausages", "Chips", "Lamp", "Backpack", "Kettle", "Speaker", "Blender", "Jacket")
_STATUS = ("active", "inactive", "pending", "cancelled", "shipped", "delivered", "returned", "on_hold")
_CATEGORY = ("Electronics", "Garden", "Toys", "Books", "Grocery", "Sports", "Home", "Beauty", "Automotive")
_DEPT = ("Sales", "Finance", "HR", "Engineering", "Support", "Marketing", "Legal", "Operations", "IT")
_SIZES = ("XS", "S", "M", "L", "XL", "XXL")
_COLORS = ("RED", "BLU", "GRN", "BLK", "WHT", "GRY", "NVY")


def _order_id(fk: Faker, rng: random.Random) -> str:
    style = rng.randrange(4)
    n = rng.randrange(1, 999999)
    return (f"ORD-{rng.randrange(2018, 2026)}-{n:06d}", f"SO{n:07d}", f"INV-{n:06d}", f"#{n}")[style]


def _sku(fk: Faker, rng: random.Random) -> str:
    if rng.random() < 0.5:
        code = "".join(rng.choices(string.ascii_uppercase, k=2)) + str(rng.randrange(10, 99))
        return f"SKU-{code}-{rng.choice(_SIZES)}"
    return f"{rng.randrange(1000, 9999)}-{rng.choice(_COLORS)}-{rng.choice(_SIZES)}"


def _uuid(fk: Faker, rng: random.Random) -> str:
    return str(fk.uuid4())


def _semver(fk: Faker, rng: random.Random) -> str:
    return f"{rng.randrange(0, 6)}.{rng.randrange(0, 20)}.{rng.randrange(0, 30)}"


def _version4(fk: Faker, rng: random.Random) -> str:
    return f"{rng.randrange(1, 12)}.{rng.randrange(0, 10)}.{rng.randrange(0, 40)}.{rng.randrange(0, 250)}"


def _amount(fk: Faker, rng: random.Random, style: int = 0) -> str:
    value = round(rng.lognormvariate(4, 1.3), 2)
    if style == 0:
        return f"{value:.2f}"
    if style == 1:
        return f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    if style == 2:
        return f"${value:,.2f}"
    return f"{value:.2f} kr."


def _timestamp(fk: Faker, rng: random.Random, style: int = 0) -> str:
    moment = datetime(2019, 1, 1) + timedelta(seconds=rng.randrange(6 * 365 * 86400))
    if style == 0:
        return moment.isoformat(sep=" ")
    if style == 1:
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    if style == 2:
        return str(int(moment.timestamp()))
    return moment.strftime("%d/%m/%Y %H:%M")


def _recent_date(fk: Faker, rng: random.Random, fmt: str = "%Y-%m-%d") -> str:
    return random_date(rng, date(2018, 1, 1), date(2025, 6, 30)).strftime(fmt)


def _hire_date(fk: Faker, rng: random.Random, fmt: str = "%Y-%m-%d") -> str:
    return random_date(rng, date(1988, 1, 1), date(2025, 6, 30)).strftime(fmt)


def _product(fk: Faker, rng: random.Random) -> str:
    return f"{rng.choice(_ADJ)} {rng.choice(_MATERIAL)} {rng.choice(_PRODUCT)}"


def _company(fk: Faker, rng: random.Random) -> str:
    return fk.company()


def _year_code(fk: Faker, rng: random.Random) -> str:
    year = rng.randrange(2010, 2026)
    return f"{year}/{(year + 1) % 100:02d}" if rng.random() < 0.7 else f"{year}/{year + 1}"


def _cvv(fk: Faker, rng: random.Random) -> str:
    return f"{rng.randrange(1000):03d}"


def _isbn(fk: Faker, rng: random.Random) -> str:
    value = fk.isbn13() if rng.random() < 0.7 else fk.isbn10()
    return value.replace("-", "") if rng.random() < 0.4 else value


def _hash(fk: Faker, rng: random.Random) -> str:
    return rng.choice((fk.md5, fk.sha1, fk.sha256))()


def _digits(rng: random.Random, n: int) -> str:
    return str(rng.randrange(1, 10)) + "".join(rng.choices(string.digits, k=n - 1))


def _id16(fk: Faker, rng: random.Random) -> str:
    return _digits(rng, 16)


def _id10(fk: Faker, rng: random.Random) -> str:
    return _digits(rng, 10)


def _id8(fk: Faker, rng: random.Random) -> str:
    return _digits(rng, 8)


def _id9(fk: Faker, rng: random.Random) -> str:
    return _digits(rng, 9)


def _zip(fk: Faker, rng: random.Random) -> str:
    us = us_faker()
    return us.zipcode_plus4() if rng.random() < 0.25 else us.zipcode()


def _postcode(fk: Faker, rng: random.Random) -> str:
    return fk.postcode()


def _reference(fk: Faker, rng: random.Random, style: int = 0) -> str:
    # Reference numbers grouped the way phone numbers are.
    d = "".join(rng.choices(string.digits, k=10))
    return (f"{d[:3]}-{d[3:7]}-{d[7:]}", f"{d[:3]}.{d[3:6]}.{d[6:9]}", f"{d[:2]} {d[2:5]} {d[5:]}")[style]


def _ean(fk: Faker, rng: random.Random) -> str:
    return fk.ean13()


def _quantity(fk: Faker, rng: random.Random) -> str:
    return str(rng.randrange(1, 50))


def _status(fk: Faker, rng: random.Random) -> str:
    return rng.choice(_STATUS)


def _country(fk: Faker, rng: random.Random) -> str:
    return fk.country() if rng.random() < 0.6 else fk.country_code()


def _state(fk: Faker, rng: random.Random) -> str:
    try:
        return fk.administrative_unit()
    except AttributeError:
        return rng.choice(("North", "South", "East", "West", "Central"))


def _currency(fk: Faker, rng: random.Random) -> str:
    return fk.currency_code()


def _boolean(fk: Faker, rng: random.Random) -> str:
    return rng.choice(("true", "false", "yes", "no", "1", "0"))


def _rating(fk: Faker, rng: random.Random) -> str:
    return f"{rng.randrange(1, 6)}" if rng.random() < 0.5 else f"{rng.uniform(1, 5):.1f}"


def _percent(fk: Faker, rng: random.Random) -> str:
    return f"{rng.uniform(0, 100):.1f}%"


def _coords(fk: Faker, rng: random.Random) -> str:
    return f"{fk.latitude():.5f}, {fk.longitude():.5f}"


def _job(fk: Faker, rng: random.Random) -> str:
    return fk.job()


def _department(fk: Faker, rng: random.Random) -> str:
    return rng.choice(_DEPT)


def _category(fk: Faker, rng: random.Random) -> str:
    return rng.choice(_CATEGORY)


def _user_agent(fk: Faker, rng: random.Random) -> str:
    return fk.user_agent()


def _plate(fk: Faker, rng: random.Random) -> str:
    return fk.license_plate()


def _http_status(fk: Faker, rng: random.Random) -> str:
    return rng.choice(("200", "200", "200", "201", "204", "301", "304", "400", "401", "403", "404", "500"))


def _salary(fk: Faker, rng: random.Random) -> str:
    return str(rng.randrange(28, 160) * 1000)


def _catch_phrase(fk: Faker, rng: random.Random) -> str:
    return fk.catch_phrase()


def _style(n: int):
    return lambda rng: {"style": rng.randrange(n)}


def _date_fmt(rng: random.Random) -> dict:
    return {"fmt": rng.choice(("%Y-%m-%d", "%d.%m.%Y", "%m/%d/%Y", "%d-%m-%Y"))}


def _kind(key, headers, make, per_column=None) -> ColumnKind:
    return ColumnKind(key, (), headers, make, per_column=per_column or (lambda rng: {}))


LOOKALIKE_KINDS: dict[str, ColumnKind] = {
    k.key: k
    for k in (
        _kind("order_id", ("order_id", "order_no", "invoice_number", "ref"), _order_id),
        _kind("sku", ("sku", "item_code", "article_no"), _sku),
        _kind("uuid", ("id", "uuid", "event_id", "guid"), _uuid),
        _kind("semver", ("version", "app_version", "release"), _semver),
        _kind("version4", ("version", "firmware", "build", "client_version"), _version4),
        _kind("amount", ("amount", "price", "total", "beloeb", "Betrag"), _amount, _style(4)),
        _kind("timestamp", ("created_at", "updated_at", "event_time", "ts"), _timestamp, _style(4)),
        _kind("recent_date", ("order_date", "created", "signup_date", "invoice_date"), _recent_date,
              _date_fmt),
        _kind("hire_date", ("hire_date", "start_date", "employed_since"), _hire_date, _date_fmt),
        _kind("product", ("product", "product_name", "item", "title"), _product),
        _kind("company", ("company", "employer", "vendor", "supplier", "firma"), _company),
        _kind("year_code", ("academic_year", "season", "fiscal_year", "term"), _year_code),
        _kind("cvv", ("cvv", "security_code", "cvc", "pin_hint"), _cvv),
        _kind("isbn", ("isbn", "book_isbn"), _isbn),
        _kind("hash", ("checksum", "sha", "hash", "etag"), _hash),
        _kind("id16", ("account_id", "transaction_id", "member_no", "tracking_id"), _id16),
        _kind("id10", ("customer_number", "kundenummer", "record_id"), _id10),
        _kind("id9", ("client_id", "policy_no"), _id9),
        _kind("id8", ("customer_no", "ordrenr", "loyalty_id"), _id8),
        _kind("zip", ("zip", "zipcode", "postal_code"), _zip),
        _kind("postcode", ("postcode", "postnr", "PLZ"), _postcode),
        _kind("reference", ("reference", "case_ref", "serial"), _reference, _style(3)),
        _kind("ean", ("ean", "barcode", "gtin"), _ean),
        _kind("quantity", ("qty", "quantity", "units"), _quantity),
        _kind("status", ("status", "state", "order_status"), _status),
        _kind("country", ("country", "land", "country_code"), _country),
        _kind("region", ("region", "state", "province"), _state),
        _kind("currency", ("currency", "ccy"), _currency),
        _kind("boolean", ("is_active", "opt_in", "newsletter"), _boolean),
        _kind("rating", ("rating", "score", "stars"), _rating),
        _kind("percent", ("discount", "share", "rate"), _percent),
        _kind("coords", ("location", "coordinates", "geo"), _coords),
        _kind("job", ("job_title", "position", "role"), _job),
        _kind("department", ("department", "team", "afdeling"), _department),
        _kind("category", ("category", "segment"), _category),
        _kind("user_agent", ("user_agent", "ua", "browser"), _user_agent),
        _kind("plate", ("license_plate", "nummerplade", "vehicle"), _plate),
        _kind("http_status", ("status_code", "http_status"), _http_status),
        _kind("salary", ("salary", "annual_salary", "loen"), _salary),
        _kind("slogan", ("tagline", "campaign", "headline"), _catch_phrase),
    )
}
