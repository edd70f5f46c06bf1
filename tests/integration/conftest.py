"""Fixtures shared by the integration tests."""

from __future__ import annotations

from tests.integration.clirunner import cli

__all__ = ["cli"]
