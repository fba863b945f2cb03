"""The ``drone-ledger`` command's options and command classes: what its commands share before they run.

Flags shown as flags in --help, ``--debug`` taken after the command name, and the options several commands
declare alike (``--ledger``, ``--dollar-year``, ``--include``, ``--format``, the size limits). Imports no pandas.
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from typer.core import TyperCommand, TyperGroup, TyperOption


def _flags_as_flags(params: list[Any]) -> list[Any]:
    """Show an on/off option as the flag it is: no ``<bool>`` type beside it in --help."""
    for param in params:
        if isinstance(param, TyperOption) and param.is_flag:
            param.metavar = ""
    return params


class _Command(TyperCommand):
    """A command whose --help shows flags as flags."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _flags_as_flags(super().get_params(ctx))


class _State:
    debug = False
    debug_after_command = False


class _Commands(TyperGroup):
    """The command group; also takes ``--debug`` after the command name (``drone-ledger summary --debug``)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        _State.debug_after_command = False
        # Group options are flags, so the command is the first argument that is not an option.
        at = next((i for i, a in enumerate(args) if not a.startswith("-")), None)
        if at is not None:
            rest = args[at + 1 :]
            end = rest.index("--") if "--" in rest else len(rest)  # after "--" everything is an argument
            if "--debug" in rest[:end]:
                _State.debug_after_command = True
                rest = [a for i, a in enumerate(rest) if a != "--debug" or i >= end]
            args = [*args[: at + 1], *rest]
        return super().parse_args(ctx, args)

    def get_params(self, ctx: Any) -> list[Any]:
        return _flags_as_flags(super().get_params(ctx))


#: The formats each command offers (``--format``): exactly those its result has a view for (views.formats_of).
TableJson = Literal["table", "json"]
TableJsonCsv = Literal["table", "json", "csv"]
TableJsonMarkdown = Literal["table", "json", "markdown"]
TableJsonMarkdownCsv = Literal["table", "json", "markdown", "csv"]


def _format_option(choices: str) -> Any:
    """``--format`` / ``-f``; the choices are listed in its help (a short metavar keeps --help from wrapping them)."""
    return typer.Option("--format", "-f", metavar="FORMAT", help=f"{choices}.")


class Reference(enum.StrEnum):
    """Price observations that can be added to the direct ones."""

    upper_reference = "upper_reference"
    floor_reference = "floor_reference"


LedgerOption = Annotated[
    Path | None,
    typer.Option("--ledger", "-l", help="Ledger directory (default: the bundled ledger).", show_default=False),
]
DollarYearOption = Annotated[
    int | None,
    typer.Option(
        "--dollar-year",
        help="Express prices in this year's dollars (default: a claim's own year; a war's figures, the year it began).",
        show_default=False,
    ),
]
MaxBytesOption = Annotated[
    int, typer.Option("--max-bytes", min=1, help="Refuse files larger than this many bytes.", show_default=True)
]
MaxFieldOption = Annotated[
    int, typer.Option("--max-field", min=1, help="Refuse cells longer than this many characters.", show_default=True)
]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace FILE if it exists (never a ledger's own table).")]
_MAX_BYTES = 2 * 1024**3  # the library's documented limits (loading.DEFAULT_MAX_BYTES / DEFAULT_MAX_FIELD)
_MAX_FIELD = 1_000_000
ReferenceOption = Annotated[
    list[Reference] | None,
    typer.Option(
        "--include",
        metavar="KIND",
        help="Also use upper_reference and/or floor_reference prices (repeatable).",
        show_default=False,
    ),
]
