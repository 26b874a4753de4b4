"""Print the JSON Schema of targets.yaml (for editors: schema/targets.schema.json)."""

from __future__ import annotations

import argparse
import json

from kpis.cli import EXIT_OK
from kpis.plan import plan_json_schema

SUMMARY = (
    "In lược đồ JSON của targets.yaml (cho trình soạn thảo: schema/targets.schema.json) / "
    "Print the JSON Schema of targets.yaml (for editors: schema/targets.schema.json)"
)


def configure(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    print(json.dumps(plan_json_schema(), ensure_ascii=False, indent=2))
    return EXIT_OK
