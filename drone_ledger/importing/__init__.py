"""Import researchers' loss tables into a ledger, keeping attribution and losing nothing.

Formats (``source_format``):

* ``oryx-wide`` — Oryx-derived per-model tables: ``equipment, model, sub_model,
  manufacturer, losses_total`` and one count column per Oryx status string
  (``destroyed by Orion`` …). Each non-zero count becomes an aggregate loss row;
  each source row's ``losses_total`` becomes a printed total in aggregates.csv.
* ``oryx-long`` — Oryx-derived per-item tables: ``country, system, status, url,
  date_recorded`` (+ ids). One loss per row; ``country`` is the side that lost it.
* ``csv`` — any table, read through a TOML mapping file (column renames, value
  maps, constants, date format).
* ``ledger`` — rows already in ledger form.
* ``oryx-page`` — Oryx's own page (HTML, or HTML gzipped; told from a table by its content): one item per item
  number of each label, with its status, proof link and the attacking system the label names.
* ``warspotting`` — WarSpotting's per-loss export (both column sets): one item per record, dated to the day, with
  place and unit. A record whose ``oryx_url`` is an Oryx item's proof link is that item: one loss, counted once.

Every import validates the merged ledger before writing; refuses (writes
nothing) when a record is invalid unless asked to keep the valid ones; is
idempotent (a stable ``loss_id`` from the source's natural key); replaces
files atomically under a lock; and reports rows read = added + updated +
duplicates + rejected.

The package, in the order an import runs:

* :mod:`.importer` — :func:`import_table`: options, source, adapter, merge.
* :mod:`.source` — :func:`read_source`: the file as text rows with their CSV lines.
* :mod:`.mapping` — :class:`MappingFile`: the TOML mapping file, checked.
* :mod:`.adapters` — one adapter per format (``csv``, ``ledger``) and :func:`detect_format`;
  :mod:`.oryx` the two Oryx adapters, :mod:`.grammar` Oryx's status strings and model names,
  :mod:`.context` what every adapter shares.
* :mod:`.pageparse` reads Oryx's page, :mod:`.oryxpage` turns its items into rows, :mod:`.warspotting`
  WarSpotting's records; :mod:`.join` keeps successive pages and joins WarSpotting records with Oryx items.
* :mod:`.merge` — merge into the ledger, validate, commit.
"""

from __future__ import annotations

import warnings
from typing import Any

from drone_ledger.errors import ImportSourceError, ImportUsageError, MappingFileError
from drone_ledger.results import ImportReport, describe_change

from .adapters import ADAPTERS, adapt_csv, adapt_ledger, detect_format
from .context import SYSTEM_ALIASES, Context, Record, ledger_category, stable_id
from .grammar import STATUS_MAP, ParsedStatus, clean_model, parse_status
from .importer import import_table
from .join import model_agreement, reconcile
from .mapping import FORMATS, MappingFile, check_date_format, check_delimiter, check_encoding
from .oryx import LONG_REQUIRED, WIDE_FIXED, adapt_oryx_long, adapt_oryx_wide, read_model_categories, split_link
from .oryxpage import PageTable, adapt_oryx_page, read_page_source
from .pageparse import OryxPage, link_key, parse_page
from .source import SourceTable, read_source, sniff_delimiter
from .warspotting import WARSPOTTING_COLUMNS, WARSPOTTING_REQUIRED, adapt_warspotting

__all__ = [
    "ADAPTERS",
    "FORMATS",
    "LONG_REQUIRED",
    "STATUS_MAP",
    "SYSTEM_ALIASES",
    "WIDE_FIXED",
    "Context",
    "ImportReport",
    "ImportSourceError",  # the three errors live in drone_ledger.errors; re-exported here, where they were
    "ImportUsageError",
    "MappingFile",
    "MappingFileError",
    "OryxPage",
    "PageTable",
    "ParsedStatus",
    "Record",
    "SourceTable",
    "WARSPOTTING_COLUMNS",
    "WARSPOTTING_REQUIRED",
    "adapt_csv",
    "adapt_ledger",
    "adapt_oryx_long",
    "adapt_oryx_page",
    "adapt_oryx_wide",
    "adapt_warspotting",
    "check_date_format",
    "check_delimiter",
    "check_encoding",
    "clean_model",
    "describe_change",
    "detect_format",
    "import_table",
    "ledger_category",
    "link_key",
    "model_agreement",
    "parse_page",
    "parse_status",
    "read_model_categories",
    "read_page_source",
    "read_source",
    "reconcile",
    "sniff_delimiter",
    "split_link",
    "stable_id",
]


def __getattr__(name: str) -> Any:
    if name == "Mapping":  # its name read like collections.abc.Mapping
        warnings.warn(
            "drone_ledger.importing.Mapping is now MappingFile; the old name will be removed",
            DeprecationWarning,
            stacklevel=2,
        )
        return MappingFile
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
