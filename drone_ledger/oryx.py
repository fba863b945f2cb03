"""Moved to :mod:`drone_ledger.importing.grammar` (the Oryx status grammar); this module name still works."""

from __future__ import annotations

from .importing.grammar import NOT_ATTRIBUTION, STATUS_MAP, STATUS_WORDS, ParsedStatus, clean_model, parse_status

__all__ = ["NOT_ATTRIBUTION", "STATUS_MAP", "STATUS_WORDS", "ParsedStatus", "clean_model", "parse_status"]
