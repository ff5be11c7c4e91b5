"""Free-text comment columns: support notes and remarks with PII inside cells.

A comment column carries a few entity types, each in a share of its cells,
mixed with ordinary sentences that hold none. The label of the column is the
set of entity types that really occur in it.
"""
from __future__ import annotations

import random

from faker import Faker

_PLAIN = (
    "Customer asked about the delivery time for the second parcel.",
    "Refund approved after review by the finance team.",
    "The invoice was sent twice by mistake, credit note issued.",
    "Package arrived damaged, replacement shipped on Monday.",
    "Requested a change of subscription plan from monthly to yearly.",
    "No answer on the first attempt, will try again next week.",
    "Order was cancelled before dispatch.",
    "Complaint about the packaging, forwarded to the warehouse.",
    "Payment failed twice, card was declined by the bank.",
    "Wants to know if the product is available in blue.",
    "Ticket closed, issue resolved with the latest update.",
    "Discount code did not apply at checkout, fixed manually.",
    "The customer prefers contact by letter.",
    "Item out of stock, expected back in three weeks.",
    "Return label generated and sent.",
    "Escalated to second level support.",
    "Pricing question about the enterprise tier.",
    "Kunden ønsker at blive ringet op i morgen formiddag.",
    "Der Kunde wünscht eine Rechnung in Papierform.",
    "Very satisfied with the service, no further action.",
    "Address verification pending.",
    "Duplicate account merged.",
    "Awaiting confirmation from the carrier.",
)

_WITH_EMAIL = (
    "Please send the contract to {email} before Friday.",
    "Customer changed email to {email}.",
    "Forward the receipt to {email}",
    "Reply went to {email} but bounced.",
    "Contact: {email}",
)
_WITH_PHONE = (
    "Call back on {phone} after 3pm.",
    "New phone number: {phone}",
    "Customer can be reached at {phone}.",
    "Left a voicemail on {phone}.",
    "Mobile {phone}, prefers SMS.",
)
_WITH_NAME = (
    "Spoke with {name} about the invoice.",
    "{name} will follow up on the delivery.",
    "Account handed over to {name}.",
    "Complaint raised by {name}, see attached.",
    "Per {name}, the order can be released.",
    "Approved by {name} in finance.",
)
_WITH_ADDRESS = (
    "Ship to {address} instead.",
    "New delivery address: {address}.",
    "Customer moved to {address}",
)

_TEMPLATES = {
    "EMAIL_ADDRESS": _WITH_EMAIL,
    "PHONE_NUMBER": _WITH_PHONE,
    "PERSON": _WITH_NAME,
    "LOCATION": _WITH_ADDRESS,
}


def comment_plan(rng: random.Random) -> dict[str, float]:
    """Pick which entity types a comment column carries and in how many cells."""
    if rng.random() < 0.2:
        return {}
    kinds = ["EMAIL_ADDRESS", "PHONE_NUMBER", "PERSON", "LOCATION"]
    weights = [0.7, 0.6, 0.7, 0.25]
    chosen = [k for k, w in zip(kinds, weights, strict=True) if rng.random() < w] or [rng.choice(kinds[:3])]
    return {k: rng.uniform(0.06, 0.3) for k in chosen}


def make_comment(fk: Faker, rng: random.Random, plan: dict[str, float], found: set[str]) -> str:
    """One comment cell following ``plan``; entity types used are added to ``found``."""
    parts = []
    for entity, rate in plan.items():
        if rng.random() < rate:
            template = rng.choice(_TEMPLATES[entity])
            parts.append(
                template.format(
                    email=fk.email(),
                    phone=fk.phone_number(),
                    name=fk.name(),
                    address=fk.street_address().replace("\n", ", "),
                )
            )
            found.add(entity)
    for _ in range(rng.randrange(1, 3)):
        parts.append(rng.choice(_PLAIN))
    rng.shuffle(parts)
    return " ".join(parts)
