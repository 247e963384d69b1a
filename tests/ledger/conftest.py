"""Fixtures for the ledger tests (no Flask, no database: files under tmp_path)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def ledger_dir(tmp_path: Path) -> Path:
    """A fresh ledger directory for one test."""
    return tmp_path / "books"
