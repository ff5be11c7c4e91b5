"""Fixtures for pipeline tests that run the chain against the real PostgreSQL.

Runs write to the warehouse schemas, which Django's test flush does not touch:
``clean_warehouse`` drops their tables before and after a test so every test
starts from an empty warehouse.
"""

from __future__ import annotations



