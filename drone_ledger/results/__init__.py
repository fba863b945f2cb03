"""Plain result objects: what the library returns and every view serialises.

Every result is a dataclass with ``to_dict()`` (what ``--format json`` prints) and ``to_frame()`` (a tidy
DataFrame); views read attributes, never string keys. No pandas at import time: the CLI's help path imports
these modules (``to_frame`` imports pandas when called). Import a result from the module that defines it, or
the public ones from :mod:`drone_ledger`:

* :mod:`.core` — the building blocks: :class:`~.core.Issue`, :class:`~.core.ValidationReport`,
  :class:`~.core.ValueRange`, :class:`~.core.BucketTotal`, :class:`~.core.Assumptions`, labels.
* :mod:`.claims` — one claim against the ledger (:class:`~.claims.ClaimComparison`), every claim, a conflict's
  totals, the report page's :class:`~.claims.ClaimReport`.
* :mod:`.analysis` — :class:`~.analysis.Trace`, :class:`~.analysis.Breakdown`, :class:`~.analysis.Sensitivity`,
  :class:`~.analysis.Consistency`.
* :mod:`.ledger` — what changed a ledger: :class:`~.ledger.ImportReport`, :class:`~.ledger.ConflictAddition`;
  the catalog of :class:`~.ledger.KnownConflicts`.
* :mod:`.record` — a system's documented record (:class:`~.record.SystemRecord`, one :class:`~.record.WarRecord`
  per war), the claims about it checked against it (:class:`~.record.ClaimCheck`), and :class:`~.record.ForScale`.
* :mod:`.sources` — what an import of a primary source found beside its rows: :class:`~.sources.PageCheck` (an
  Oryx page against its own counts), :class:`~.sources.JoinSummary` (WarSpotting records joined with Oryx items).
"""
