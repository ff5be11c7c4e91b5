"""Fixtures for quality tests that run the chain against the real PostgreSQL."""

from __future__ import annotations



