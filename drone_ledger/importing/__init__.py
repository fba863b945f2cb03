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

* :mod:`.importer` — :func:`~.importer.import_table` (also ``drone_ledger.import_table``): options, source,
  adapter, merge.
* :mod:`.source` — :func:`~.source.read_source`: the file as text rows with their CSV lines.
* :mod:`.mapping` — :class:`~.mapping.MappingFile`: the TOML mapping file, checked.
* :mod:`.adapters` — one adapter per format (``csv``, ``ledger``) and :func:`~.adapters.detect_format`;
  :mod:`.oryx` the two Oryx adapters, :mod:`.grammar` Oryx's status strings and model names,
  :mod:`.context` what every adapter shares.
* :mod:`.pageparse` reads Oryx's page, :mod:`.oryxpage` turns its items into rows, :mod:`.warspotting`
  WarSpotting's records; :mod:`.join` keeps successive pages and joins WarSpotting records with Oryx items.
* :mod:`.merge` — merge into the ledger, validate, commit.
"""
