"""Redo: apply again what the latest undo put back, unless a save came after it."""

from __future__ import annotations

import argparse

from kpis.commands.undo import configure, run_round

__all__ = ["configure", "run"]


def run(args: argparse.Namespace) -> int:
    return run_round(args, redo=True)
