"""python -m pipelines run --landing DIR: the analyst's refresh (make pipeline)."""

from __future__ import annotations

import argparse
import errno
import os
import sys
from pathlib import Path

import duckdb

from indicators.targets import TargetsError
from pipelines.contracts import ContractError
from pipelines.load import LoadError
from pipelines.publish import PublishError
from pipelines.runner import Run, RunFailed
from pipelines.sql_runner import ModelError
from privacy.disclosure_rules import DisclosureError
from privacy.files import owner_only, warn_if_shared
from settings import load_settings_or_exit

# Problems of the delivery or the configuration: reported in Dutch, without a traceback.
EXPECTED = (LoadError, RunFailed, ModelError, TargetsError, PublishError,
            DisclosureError, ContractError)
DISK_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
OUT_OF_MEMORY = ("DuckDB had te weinig geheugen ({error}). Verhoog [pipeline] memory_limit "
                 "(nu {limit}) of verlaag [pipeline] threads (nu {threads}) in monitor.toml; "
                 "wat niet in het geheugen past gaat naar [paths] temp ({temp}), zorg daar voor "
                 "ruimte.")


def disk_full(error: BaseException) -> bool:
    """A write failed because the disk (or quota, or file-size limit) is full."""
    if isinstance(error, OSError):
        return error.errno in DISK_FULL
    return isinstance(error, duckdb.Error) and any(
        os.strerror(code) in str(error) for code in DISK_FULL)


def _refused(pipeline: Run, error: str) -> int:
    """Report a run that stopped: manifest (when the disk still allows it), summary, exit 1."""
    try:
        manifest = f"Verslag: {pipeline.write_manifest('mislukt', error)}"
    except OSError as failed:
        manifest = f"Het verslag kon niet worden geschreven ({failed.strerror})."
    print(pipeline.summary("MISLUKT"))
    print(f"FOUT: {error}\nEr is niets gepubliceerd; de vorige versie blijft in gebruik. "
          f"{manifest}", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="inlezen, controleren, koppelen, publiceren")
    run.add_argument("--landing", type=Path, help="map met aangeleverde bestanden "
                     "(standaard: [paths] landing uit monitor.toml)")
    run.add_argument("--settings", type=Path, help="instellingenbestand (standaard monitor.toml)")
    args = parser.parse_args(argv)
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    settings = load_settings_or_exit(args.settings)
    warn_if_shared(settings)
    landing = (args.landing or settings.paths.landing).resolve()
    pipeline = Run(settings, landing)
    print(f"Pijplijnrun {pipeline.run_id} op {landing}", flush=True)
    try:
        pipeline.execute()
    except EXPECTED as error:
        return _refused(pipeline, str(error))
    except BaseException as error:
        if isinstance(error, duckdb.OutOfMemoryException):
            return _refused(pipeline, OUT_OF_MEMORY.format(
                limit=settings.pipeline.memory_limit, threads=settings.pipeline.threads,
                temp=settings.paths.temp, error=str(error).splitlines()[0]))
        if disk_full(error):
            return _refused(pipeline, "de schijf is vol (of de bestandsgrootte is begrensd) "
                            f"bij het schrijven ({error}). Maak ruimte vrij in "
                            f"{settings.paths.work} en {settings.paths.published} en start de "
                            "run opnieuw.")
        manifest = pipeline.write_manifest("mislukt", f"onverwachte fout: {error!r}")
        print(f"Onverwachte fout; er is niets gepubliceerd. Verslag: {manifest}",
              file=sys.stderr)
        raise
    manifest = pipeline.write_manifest("gepubliceerd")
    print(pipeline.summary("gepubliceerd"))
    print(f"Verslag: {manifest}")
    return 0


if __name__ == "__main__":
    owner_only()  # all this command writes: readable by its owner only
    sys.exit(main())
