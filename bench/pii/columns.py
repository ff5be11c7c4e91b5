"""Column kinds holding personal data, for the labelled PII corpus.

Each kind knows its true entity, the headers a real export would give it and
how to make one value. Values come from Faker in the file's locale, so the
corpus carries the same mix of formats (and the same share of sloppy,
invalid phone numbers) that real exports do.
"""
from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from faker import Faker

Maker = Callable[[Faker, random.Random], str]


@dataclass(frozen=True)
class ColumnKind:
    """One kind of column: its label, plausible headers and a value maker.

    ``entities`` is empty for a column that holds no personal data.
    ``descriptive_only`` marks kinds that nobody would recognise without a
    header either (a 9-digit SSN without dashes), so the corpus never gives
    them a neutral header.
    """

    key: str
    entities: tuple[str, ...]
    headers: tuple[str, ...]
    make: Maker
    free_text: bool = False
    descriptive_only: bool = False
    per_column: Callable[[random.Random], dict] = field(default=lambda rng: {})


_US = Faker("en_US")
_DK = Faker("da_DK")


def seed_shared(seed: int) -> None:
    """Seed the module-level fakers used for locale-bound values."""
    _US.seed_instance(seed)
    _DK.seed_instance(seed + 1)


def us_faker() -> Faker:
    """The shared en_US faker, for values that only exist in the US (SSNs, zip codes)."""
    return _US


def _email(fk: Faker, rng: random.Random) -> str:
    value = fk.company_email() if rng.random() < 0.25 else fk.email()
    return value.upper() if rng.random() < 0.03 else value


def _phone(fk: Faker, rng: random.Random) -> str:
    return fk.phone_number()


def _full_name(fk: Faker, rng: random.Random) -> str:
    return fk.name()


def _name_last_first(fk: Faker, rng: random.Random) -> str:
    return f"{fk.last_name()}, {fk.first_name()}"


def _first_name(fk: Faker, rng: random.Random) -> str:
    return fk.first_name()


def _last_name(fk: Faker, rng: random.Random) -> str:
    return fk.last_name()


def _street(fk: Faker, rng: random.Random) -> str:
    return fk.street_address()


def _full_address(fk: Faker, rng: random.Random) -> str:
    sep = ", " if rng.random() < 0.7 else "\n"
    return fk.address().replace("\n", sep)


def _city(fk: Faker, rng: random.Random) -> str:
    return fk.city()


def _ssn(fk: Faker, rng: random.Random) -> str:
    return _US.ssn()


def _ssn_plain(fk: Faker, rng: random.Random) -> str:
    return _US.ssn().replace("-", "")


_CARD_TYPES = ("visa16", "visa16", "mastercard", "mastercard", "amex", "discover", "jcb16", "diners",
               "visa13")


def _card(fk: Faker, rng: random.Random) -> str:
    number = fk.credit_card_number(card_type=rng.choice(_CARD_TYPES))
    style = rng.random()
    if style < 0.5 or len(number) != 16:
        return number
    sep = " " if style < 0.8 else "-"
    return sep.join(number[i : i + 4] for i in range(0, 16, 4))


def _iban(fk: Faker, rng: random.Random) -> str:
    try:
        value = fk.iban()
    except AttributeError:
        value = _DK.iban()
    if rng.random() < 0.3:
        return " ".join(value[i : i + 4] for i in range(0, len(value), 4))
    return value


def _ip(fk: Faker, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.55:
        return fk.ipv4_public()
    if roll < 0.8:
        return fk.ipv4_private()
    return fk.ipv6()


def _ipv6(fk: Faker, rng: random.Random) -> str:
    return fk.ipv6()


def _cpr(fk: Faker, rng: random.Random) -> str:
    born = _DK.date_of_birth(minimum_age=0, maximum_age=95)
    # The 7th digit carries the century in the real scheme.
    seventh = rng.choice("0123") if born.year < 2000 else "4"
    tail = seventh + f"{rng.randrange(1000):03d}"
    sep = "-" if rng.random() < 0.6 else ""
    return born.strftime("%d%m%y") + sep + tail


_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%m/%d/%Y", "%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d")


def _date_format(rng: random.Random) -> dict:
    return {"fmt": rng.choice(_DATE_FORMATS)}


def _dob(fk: Faker, rng: random.Random, fmt: str = "%Y-%m-%d") -> str:
    return fk.date_of_birth(minimum_age=16, maximum_age=95).strftime(fmt)


def _url(fk: Faker, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.4:
        return fk.url()
    if roll < 0.6:
        return fk.uri()
    user = fk.user_name()
    site = rng.choice(
        ("https://www.linkedin.com/in/{}", "https://twitter.com/{}", "https://github.com/{}", "https://www.facebook.com/{}")
    )
    return site.format(user)


PII_KINDS: dict[str, ColumnKind] = {
    k.key: k
    for k in (
        ColumnKind("email", ("EMAIL_ADDRESS",), ("email", "e_mail", "Email Address", "customer_email",
                   "contact_email", "mail", "E-Mail", "emailadresse", "courriel", "EmailAddr"), _email),
        ColumnKind("phone", ("PHONE_NUMBER",), ("phone", "telephone", "phone_number", "mobile", "cell",
                   "tlf", "Telefon", "Telefonnummer", "mobilnummer", "contact_phone", "tel"), _phone),
        ColumnKind("full_name", ("PERSON",), ("name", "full_name", "customer_name", "Contact Name", "navn",
                   "employee", "patient_name", "account_holder", "Kunde"), _full_name),
        ColumnKind("name_last_first", ("PERSON",), ("name", "customer", "holder", "Name (last, first)"),
                   _name_last_first),
        ColumnKind("first_name", ("PERSON",), ("first_name", "fornavn", "Vorname", "given_name",
                   "FirstName", "prenom"), _first_name),
        ColumnKind("last_name", ("PERSON",), ("last_name", "surname", "efternavn", "Nachname",
                   "family_name", "LastName"), _last_name),
        ColumnKind("street", ("LOCATION",), ("address", "street", "street_address", "adresse",
                   "Strasse", "address_line_1", "addr1"), _street),
        ColumnKind("full_address", ("LOCATION",), ("address", "postal_address", "mailing_address",
                   "Adresse", "shipping_address", "billing_address"), _full_address),
        ColumnKind("city", ("LOCATION",), ("city", "town", "by", "Stadt", "Ort", "ville", "city_name",
                   "customer_city"), _city),
        ColumnKind("ssn", ("US_SSN",), ("ssn", "social_security_number", "SSN", "soc_sec_no"), _ssn),
        ColumnKind("ssn_plain", ("US_SSN",), ("ssn", "SSN", "social_security_number"), _ssn_plain,
                   descriptive_only=True),
        ColumnKind("card", ("CREDIT_CARD",), ("card_number", "credit_card", "cc_number", "pan",
                   "kortnummer", "Kreditkarte", "card"), _card),
        ColumnKind("iban", ("IBAN_CODE",), ("iban", "IBAN", "bank_account", "account_iban",
                   "payout_account", "kontonummer"), _iban),
        ColumnKind("ip", ("IP_ADDRESS",), ("ip", "ip_address", "client_ip", "remote_addr", "source_ip",
                   "last_login_ip"), _ip),
        ColumnKind("ipv6", ("IP_ADDRESS",), ("ipv6", "client_addr", "ip6"), _ipv6),
        ColumnKind("cpr", ("DK_CPR",), ("cpr", "cpr_nr", "cpr_nummer", "personnummer", "CPR-nummer"), _cpr),
        ColumnKind("dob", ("DATE_OF_BIRTH",), ("birth_date", "date_of_birth", "dob", "birthday", "born",
                   "foedselsdato", "Geburtsdatum", "date_naissance", "BirthDate"), _dob,
                   per_column=_date_format),
        ColumnKind("url", ("URL",), ("website", "homepage", "url", "profile_url", "web", "blog"), _url),
    )
}


def random_date(rng: random.Random, start: date, end: date) -> date:
    """A uniformly random date between two dates."""
    return start + timedelta(days=rng.randrange((end - start).days + 1))
