"""python -m dashboard.notes export --out MAP | import --in MAP  (uses monitor.toml's notes)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard.notes import database, transfer
from privacy.files import owner_only
from settings import load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.notes",
                                     description="Back-up en herstel van de OOGO-notities.")
    parser.add_argument("--settings", help="monitor.toml (anders $MONITOR_SETTINGS)")
    commands = parser.add_subparsers(dest="command", required=True)
    out = commands.add_parser("export", help="alles als JSON en CSV naar een map")
    out.add_argument("--out", required=True, type=Path)
    into = commands.add_parser("import", help="een export terugzetten in een lege database")
    into.add_argument("--in", dest="source", required=True, type=Path)
    args = parser.parse_args(argv)
    engine = database.open_engine(load_settings(args.settings))
    try:
        if args.command == "export":
            counts = transfer.export(engine, args.out)
            verb = f"Geëxporteerd naar {args.out}"
        else:
            counts = transfer.restore(engine, args.source)
            verb = f"Geïmporteerd uit {args.source}"
    except transfer.ImportRefused as error:
        print(f"Fout: {error}", file=sys.stderr)
        return 1
    print(verb + ": " + ", ".join(f"{name} {count}" for name, count in counts.items()))
    return 0


if __name__ == "__main__":
    owner_only()  # all this command writes: readable by its owner only
    sys.exit(main())
