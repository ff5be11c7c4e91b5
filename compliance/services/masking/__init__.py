"""Masking personal data when publishing to navigate.

``plan`` decides what happens to each column (policies, overrides, which
findings count); ``expressions`` turns structured actions into SQL for the
navigate insert; ``publish`` does what SQL cannot, after the insert: free
text through presidio-anonymizer and Fernet encryption.
"""
from compliance.services.masking.plan import ColumnMask, MaskingPlan, build_plan, masking_findings

__all__ = ["ColumnMask", "MaskingPlan", "build_plan", "masking_findings"]
