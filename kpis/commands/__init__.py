"""The commands of `python -m kpis`, one module each (see kpis/cli.py)."""
