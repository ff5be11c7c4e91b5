"""The masking policies a fresh installation starts with; privacy officers change them afterwards."""
from django.db import migrations

# A copy, not an import: a migration must not change when the code's defaults do.
DEFAULTS = {
    "EMAIL_ADDRESS": "hash",
    "PHONE_NUMBER": "mask",
    "PERSON": "hash",
    "LOCATION": "redact",
    "US_SSN": "mask",
    "CREDIT_CARD": "mask",
    "IBAN_CODE": "mask",
    "IP_ADDRESS": "hash",
    "DK_CPR": "hash",
    "DATE_OF_BIRTH": "mask",
    "URL": "keep",
}


def create_policies(apps, schema_editor):
    MaskingPolicy = apps.get_model("compliance", "MaskingPolicy")
    for entity, action in DEFAULTS.items():
        MaskingPolicy.objects.get_or_create(entity=entity, defaults={"action": action, "description": "Atlas default"})


def remove_policies(apps, schema_editor):
    apps.get_model("compliance", "MaskingPolicy").objects.filter(description="Atlas default").delete()


class Migration(migrations.Migration):
    dependencies = [("compliance", "0001_initial")]
    operations = [migrations.RunPython(create_policies, remove_policies)]
