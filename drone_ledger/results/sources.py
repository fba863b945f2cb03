"""What an import of a primary source found beside its rows: an Oryx page's check of itself, and the join of
WarSpotting records with Oryx items."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class HeadingCount:
    """One category heading of an Oryx page: the counts it prints, and the items read under it."""

    heading: str
    category: str
    line: int
    printed: int | None
    read: int
    printed_parts: dict[str, int] = field(default_factory=dict)
    read_parts: dict[str, int] = field(default_factory=dict)

    @property
    def difference(self) -> int | None:
        """Items read minus items printed (None when the heading prints no readable total)."""
        return None if self.printed is None else self.read - self.printed

    def to_dict(self) -> dict[str, Any]:
        """Return the heading's counts as a JSON-ready dict."""
        return {**asdict(self), "difference": self.difference}


@dataclass
class PageCheck:
    """An Oryx page against its own counts, what it attributes, and what an earlier page showed that it does not.

    ``unread`` lists every piece of the lists that could not be read as items (line, heading, model, text, link,
    why); ``model_lines`` every model line whose printed count differs from the items read from it.
    """

    title: str
    side: str
    as_of: str
    headline: int | None
    read: int
    headings: list[HeadingCount] = field(default_factory=list)
    unread: list[dict[str, Any]] = field(default_factory=list)
    model_lines: list[dict[str, Any]] = field(default_factory=list)
    #: Labels (one per proof link) that name a system, and the items they credit, by system id.
    attribution_labels: int = 0
    attributed_items: dict[str, int] = field(default_factory=dict)
    #: Items whose label credits several systems ("by X and Y").
    shared_items: int = 0
    #: Labels naming a system that this page no longer shows, and their items: each keeps the attribution the
    #: earlier page showed.
    labels_kept: int = 0
    attributions_kept: int = 0
    #: Items of this side in the ledger from an earlier page that this page does not list (kept, not deleted).
    items_not_on_page: list[str] = field(default_factory=list)

    @property
    def difference(self) -> int | None:
        """Items read minus the headline's total (None when the page has no readable headline)."""
        return None if self.headline is None else self.read - self.headline

    @property
    def difference_share(self) -> float | None:
        """The difference as a share of the headline's total."""
        return None if not self.headline or self.difference is None else abs(self.difference) / self.headline

    def to_dict(self) -> dict[str, Any]:
        """Return the check as a JSON-ready dict."""
        return {
            "title": self.title,
            "side": self.side,
            "as_of": self.as_of,
            "headline": self.headline,
            "read": self.read,
            "difference": self.difference,
            "difference_share": None if self.difference_share is None else round(self.difference_share, 6),
            "headings": [h.to_dict() for h in self.headings],
            "unread": list(self.unread),
            "model_lines": list(self.model_lines),
            "attribution_labels": self.attribution_labels,
            "attributed_items": dict(self.attributed_items),
            "shared_items": self.shared_items,
            "labels_kept": self.labels_kept,
            "attributions_kept": self.attributions_kept,
            "items_not_on_page": list(self.items_not_on_page),
        }


@dataclass
class JoinSummary:
    """WarSpotting records and Oryx items of the same war joined by the proof link: one loss, counted once.

    ``disagreements`` lists each model, status, date or count on which the two sources differ: ``outcome`` says
    whether they were joined anyway (status, date: the page's kept, WarSpotting's in the notes) or kept as two
    losses (models that do not agree; a record beyond the items its proof link shows on the page).
    """

    #: Pairs joined by this import, and pairs joined before that it refreshed.
    joined: int = 0
    refreshed: int = 0
    #: Of the joined pairs, those whose two model names differ (WarSpotting's kept in the notes).
    other_model_names: int = 0
    #: WarSpotting-only rows merged into an Oryx item (their ids are the items' now).
    retired: list[str] = field(default_factory=list)
    #: WarSpotting records whose proof link's Oryx items were all joined to other records.
    surplus: int = 0
    #: WarSpotting records with no link at all (no oryx_url, sources or photos): they cannot be joined.
    unlinked: int = 0
    disagreements: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the summary as a JSON-ready dict."""
        return asdict(self)
