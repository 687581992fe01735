"""``tracker serve``: the web view on waitress, a production WSGI server."""

from __future__ import annotations

import argparse
import logging
from typing import TextIO

from tracker.cli import EXIT_OK, CommandError, open_existing_store
from tracker.store.base import mask_uri


def cmd_serve(args: argparse.Namespace, out: TextIO) -> int:
    import waitress

    from tracker.web import create_app

    store = open_existing_store(args.store)
    try:
        app = create_app(store)
        try:
            server = waitress.create_server(app, host=args.host, port=args.port, threads=args.threads)
        except OSError as exc:
            raise CommandError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from exc
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s: %(message)s")
        out.write(f"serving {mask_uri(store.uri)} on http://{args.host}:{server.effective_port}/ (Ctrl-C stops)\n")
        out.flush()
        try:
            server.run()
        finally:
            server.close()
    finally:
        store.close()
    return EXIT_OK
