"""``python -m drone_ledger`` runs the CLI."""

from .cli import run

run()
