"""Redo: apply again what the latest undo put back, unless a save came after it."""

from __future__ import annotations

import argparse

from kpis.commands.undo import configure, run_round

__all__ = ["configure", "run"]


SUMMARY = (
    "Làm lại những gì lần hoàn tác gần nhất đã trả về, trừ khi sau đó đã có lần lưu khác / "
    "Redo: apply again what the latest undo put back, unless a save came after it"
)


def run(args: argparse.Namespace) -> int:
    return run_round(args, redo=True)
