"""The ``yenflow`` command. A plain ``update --from DIR --no-monitor`` with nothing changed since the last
complete run is answered here, before the CLI framework and the views are imported (they cost several times
that whole answer: :mod:`yenflow.update_manifest`); everything else goes to :func:`yenflow.cli.main`."""

from __future__ import annotations

import sys


def main() -> None:
    from yenflow import update_manifest

    code = update_manifest.fast_update(sys.argv[1:])
    if code is not None:
        sys.exit(code)
    from yenflow.cli import main as cli_main

    cli_main(quick=False)
