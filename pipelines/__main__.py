"""python -m pipelines run --landing DIR: the analyst's refresh (make pipeline)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from indicators.targets import TargetsError
from pipelines.load import LoadError
from pipelines.publish import PublishError
from pipelines.runner import Run, RunFailed
from pipelines.settings import load_settings
from privacy.disclosure_rules import DisclosureError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="inlezen, controleren, koppelen, publiceren")
    run.add_argument("--landing", type=Path, help="map met aangeleverde bestanden "
                     "(standaard: [paths] landing uit monitor.toml)")
    run.add_argument("--settings", type=Path, help="instellingenbestand (standaard monitor.toml)")
    args = parser.parse_args(argv)
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    settings = load_settings(args.settings)
    landing = (args.landing or settings.path("landing")).resolve()
    if not landing.is_dir():
        print(f"Landing-map {landing} bestaat niet. Draai eerst `make sample` of geef --landing.",
              file=sys.stderr)
        return 2
    pipeline = Run(settings, landing)
    print(f"Pijplijnrun {pipeline.run_id} op {landing}", flush=True)
    try:
        pipeline.execute()
    except (LoadError, RunFailed, TargetsError, PublishError, DisclosureError) as error:
        manifest = pipeline.write_manifest("mislukt", str(error))
        print(pipeline.summary("MISLUKT"))
        print(f"FOUT: {error}\nEr is niets gepubliceerd; de vorige versie blijft in gebruik. "
              f"Verslag: {manifest}", file=sys.stderr)
        return 1
    manifest = pipeline.write_manifest("gepubliceerd")
    print(pipeline.summary("gepubliceerd"))
    print(f"Verslag: {manifest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
