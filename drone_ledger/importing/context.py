"""What every adapter shares: the candidate record, the import's context, and the rules that fill a loss row.

An adapter turns source rows into :class:`Record` objects (a ledger row, the
source line, the source values). The :class:`Context` holds what the source does
not say on each row (conflict, side, link), the mapping file, the system resolver,
and collects what went unmapped or was rejected. The helpers here set a row's
status, attribution and category the same way for every format: an unmapped value
is kept as unknown or unattributed with its text, counted, and never guessed.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from drone_ledger import vocab
from drone_ledger.errors import ImportUsageError, IssueCode
from drone_ledger.layout import columns_of

from .grammar import ParsedStatus, parse_status
from .mapping import MappingFile

if TYPE_CHECKING:
    import pandas as pd

ProgressCallback = Callable[[int, int], None]

#: Common spellings of systems -> system ids of the bundled systems table. Names and ids in the ledger's own
#: systems.csv always match too (case-insensitively), and a mapping file's [values.attributed_system] adds more.
SYSTEM_ALIASES = {
    "bayraktar tb2": "bayraktar-tb2",
    "tb2": "bayraktar-tb2",
    "tb-2": "bayraktar-tb2",
    "harop": "iai-harop",
    "iai harop": "iai-harop",
    "skystriker": "elbit-skystriker",
    "orbiter 1k": "aeronautics-orbiter",
    "orbiter-1k": "aeronautics-orbiter",
    "loitering munition": "loitering-munition-unknown",
    "loitering munitions": "loitering-munition-unknown",
    "drone": "drone-unknown",
    "uav": "drone-unknown",
    "artillery": "artillery",
    "atgm": "atgm",
}


class LossRow(Mapping[str, str]):
    """A loss row read like a dict, its cells held in a tuple in the order of columns every row shares.

    A dict of a loss row's 26 cells takes about a kilobyte; this takes a quarter of it. Built with
    :meth:`of` from a dict (the same keys in the same order, the same cells); never changed after.
    """

    __slots__ = ("names", "positions", "cells")

    def __init__(self, names: tuple[str, ...], positions: dict[str, int], cells: tuple[str, ...]) -> None:
        self.names, self.positions, self.cells = names, positions, cells

    @classmethod
    def of(cls, row: dict[str, str], shape: LossRow | None) -> LossRow:
        """``row`` as a LossRow, sharing the column names and positions of ``shape`` when its keys are the same."""
        names = tuple(row)
        if shape is None or shape.names != names:
            return cls(names, {name: n for n, name in enumerate(names)}, tuple(row.values()))
        return cls(shape.names, shape.positions, tuple(row.values()))

    def __getitem__(self, key: str) -> str:
        return self.cells[self.positions[key]]

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


class Record:
    """One candidate ledger row, with where it came from: the source line and the source values.

    The values are a dict, or a source's rows and the row's position in them (``(src.rows, n)``), read only for
    the few records a report shows: a million records need not hold a million dicts of source cells.
    """

    __slots__ = ("row", "source_line", "_values", "_index")

    def __init__(
        self,
        row: Mapping[str, str],
        source_line: int,
        source_values: dict[str, str] | tuple[Sequence[dict[str, str]], int],
    ) -> None:
        self.row = row
        self.source_line = source_line
        if isinstance(source_values, dict):
            self._values: dict[str, str] | Sequence[dict[str, str]] = source_values
            self._index = -1
        else:
            self._values, self._index = source_values

    @property
    def source_values(self) -> dict[str, str]:
        """The source row's cells by column name."""
        values = self._values
        return values if isinstance(values, dict) else values[self._index]


@dataclass
class Context:
    """Everything the adapters share: options, the system resolver, and what went unmapped."""

    conflict: str | None
    side: str | None
    source_url: str | None
    source_name: str | None
    mapping: MappingFile
    systems: dict[str, str]  # normalised name -> system id
    add_systems: bool
    #: --categories-from: normalised model name -> its category (None: the table gives it two), and the file's name
    model_categories: dict[str, str | None] | None = None
    categories_source: str = ""
    #: --as-of: the day an Oryx page was saved (its items were lost on or before it)
    as_of: str | None = None
    new_systems: dict[str, dict[str, str]] = field(default_factory=dict)
    unmapped: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    rejects: list[dict[str, Any]] = field(default_factory=list)
    notes: Counter[str] = field(default_factory=Counter)
    # Worked out once per import, not once per source row:
    _overrides: dict[str, str] | None = field(default=None, repr=False)
    _statuses: dict[str, ParsedStatus] = field(default_factory=dict, repr=False)
    _template: dict[str, str] | None = field(default=None, repr=False)
    _system_ids: set[str] | None = field(default=None, repr=False)

    def status(self, text: str) -> ParsedStatus:
        """The parsed status string (a source repeats a handful of them thousands of times)."""
        parsed = self._statuses.get(text)
        if parsed is None:
            parsed = self._statuses[text] = parse_status(text, self.mapping.values.get("status"))
        return parsed

    def base_row(self) -> dict[str, str]:
        """A fresh loss row with the context's conflict, side and mapped constants filled in."""
        if self._template is None:
            template = dict.fromkeys(columns_of("losses"), "")
            template.update({"conflict": self.conflict or "", "side_losing": self.side or ""})
            template.update(self.mapping.constants)
            self._template = template
        return self._template.copy()

    def side_of(self, stated: str) -> str:
        """The side that lost a row's item: the source's own ``stated`` side wins; ``--side`` fills a row without
        one. A row whose side differs from ``--side`` (ignoring case and spacing) keeps its own, and is counted in
        the report's notes — never overwritten in silence."""
        if not stated.strip():
            return self.side or stated
        if self.side and norm(stated) != norm(self.side):
            self.notes[f"rows whose own side ({stated}) is not --side {self.side}: their own side was kept"] += 1
        return stated

    @contextmanager
    def unmapped_counted(self) -> Iterator[dict[str, Counter[str]]]:
        """Count, apart, what the code inside leaves unmapped (and add it to :attr:`unmapped` when it is done).

        Linear in what the code counts, not in all that was counted before: a source with 100,000 distinct
        unmapped names is never copied once per name.
        """
        outer: dict[str, Counter[str]] = self.unmapped
        apart: dict[str, Counter[str]] = defaultdict(Counter)
        self.unmapped = apart
        try:
            yield apart
        finally:
            self.unmapped = outer
            for kind, counts in apart.items():
                outer[kind].update(counts)

    def reject(self, line: int, reason: str, values: dict[str, str]) -> None:
        """Reject a source row (it becomes no record) with the reason."""
        self.rejects.append({"source_line": line, "reasons": [reason], "values": values})

    def require(self, names: tuple[str, ...], fmt: str, what: str) -> None:
        """Refuse the import when an option the format needs (``conflict``, ``side``, ``source_url``) is missing."""
        flags = {"conflict": "--conflict ID", "side": "--side NAME", "source_url": "--source-url URL"}
        missing = [flags[n] for n in names if not getattr(self, n)]
        if missing:
            raise ImportUsageError(
                f"{what} ({fmt}) does not say {'/'.join(n.replace('_', ' ') for n in names)} on each row; "
                f"pass {' and '.join(missing)}",
                IssueCode.MISSING_OPTION,
            )

    def resolve_systems(self, names: Iterable[str], items: int) -> tuple[list[str], list[str]]:
        """Map system names to ids; return (ids, names left unmapped). Unmapped names are never guessed."""
        ids, unmapped = [], []
        if self._overrides is None:
            self._overrides = {norm(k): v for k, v in self.mapping.values.get("attributed_system", {}).items()}
        overrides = self._overrides
        for name in names:
            key = norm(name)
            system = overrides.get(key) or self.systems.get(key)
            if system is None and self.add_systems:
                system = self._add_system(name)
            if system is None:
                self.unmapped["system"][name] += items
                unmapped.append(name)
            else:
                ids.append(system)
        return ids, unmapped

    def _add_system(self, name: str) -> str:
        if self._system_ids is None:
            self._system_ids = set(self.systems.values())
        system_id = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "system"
        while system_id in self._system_ids and norm(name) not in self.systems:
            system_id += "-x"
        self.systems[norm(name)] = system_id
        self._system_ids.add(system_id)
        self.new_systems[system_id] = {
            "system_id": system_id,
            "name": name,
            "family": "unknown",
            "supplier_country": "",
            "is_drone": "unknown",
            "turkish_supplied": "unknown",
            "source_url": "",
            "notes": "added by drone-ledger import (--add-systems); set its family, is_drone and turkish_supplied",
        }
        return system_id


def system_resolver(systems: pd.DataFrame) -> dict[str, str]:
    """Normalised names -> system ids: the common spellings of the ledger's systems, their ids and names."""
    known = set(systems["system_id"])
    resolver = {norm(alias): sid for alias, sid in SYSTEM_ALIASES.items() if sid in known}
    for sid, name in zip(systems["system_id"], systems["name"], strict=True):
        resolver[norm(sid)] = sid
        resolver[norm(name)] = sid
    return resolver


def norm(text: str) -> str:
    """A name compared ignoring case and runs of whitespace."""
    return " ".join(text.lower().split())


def stable_id(prefix: str, *parts: object) -> str:
    """A loss id derived from the source and its natural key: the same row always gets the same id."""
    digest = hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]
    return f"{prefix}-{digest}"


def join(*parts: str) -> str:
    """Remarks joined with ``"; "``, the empty ones left out."""
    return "; ".join(filter(None, parts))


def attribute(row: dict[str, str], systems: list[str], ctx: Context, items: int) -> None:
    """Fill attributed_system / attributed_also / confidence from system names (unmapped ones stay unattributed)."""
    if not systems:
        row["attributed_system"] = row["attributed_system"] or vocab.UNATTRIBUTED
        return
    ids, unmapped = ctx.resolve_systems(systems, items)
    if ids:
        row["attributed_system"] = ids[0]
        row["attributed_also"] = vocab.LIST_SEPARATOR.join(dict.fromkeys(ids[1:]))
        row["attribution_confidence"] = row["attribution_confidence"] or "medium"
    else:
        row["attributed_system"] = vocab.UNATTRIBUTED
    if unmapped:
        row["notes"] = join(row["notes"], f"attribution not mapped to a system: {', '.join(unmapped)}")


def set_status(row: dict[str, str], text: str, ctx: Context, items: int) -> list[str]:
    """Set status from an Oryx-style status string; return the systems it credits."""
    parsed = ctx.status(text)
    row["status_as_reported"] = text
    if parsed.status is None:
        ctx.unmapped["status"][text] += items
        row["status"] = "unknown"
    else:
        row["status"] = parsed.status
    if parsed.party:
        row["notes"] = join(row["notes"], f"'by {parsed.party}' names a party, not the weapon")
    return list(parsed.systems)


def _category_key(text: str) -> str:
    """A category name compared ignoring case, punctuation and spacing ("Self Propelled Artillery")."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


#: Every spelling an import recognises -> the ledger category (see vocab.CATEGORY_ALIASES for the renamings).
_CATEGORY_NAMES = {
    **{_category_key(c): c for c in vocab.LOSS_CATEGORIES},
    **{_category_key(alias): c for alias, c in vocab.CATEGORY_ALIASES.items()},
}


def ledger_category(text: str) -> str | None:
    """The ledger category an Oryx category heading names (any case or punctuation, or a known renaming)."""
    return _CATEGORY_NAMES.get(_category_key(text)) if text else None


def category(text: str, ctx: Context, items: int) -> str:
    """The ledger category for a source's category text (through the mapping); ``Unknown``, counted, if none."""
    mapped = ctx.mapping.values.get("category", {}).get(text, text)
    if mapped in vocab.LOSS_CATEGORIES:
        return mapped
    if (known := ledger_category(mapped)) is not None:
        return known
    ctx.unmapped["category"][text or "(not given)"] += items
    return "Unknown"


def items_in(quantity: str, default: int) -> int:
    """A quantity cell as a number of items for the report; ``default`` for anything else (validation says why).

    Only ASCII digits count: ``str.isdigit`` also accepts '²' and other digits ``int`` cannot read, and a
    5,000-digit number is beyond what ``int`` parses from text.
    """
    return int(quantity) if quantity.isascii() and quantity.isdigit() and len(quantity) <= 15 else default


def closest(name: str, choices: list[str]) -> str:
    """`` (did you mean 'X'?)`` for the choice closest to ``name``, or nothing."""
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.5)
    if not close:
        close = [c for c in choices if c.lower() == name.lower()]
    return f" (did you mean {close[0]!r}?)" if close else ""


def listing(names: list[str], limit: int = 12) -> str:
    """Names quoted and listed, the rest counted beyond ``limit``."""
    shown = ", ".join(repr(n) for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")
