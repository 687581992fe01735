"""The ``tracker`` command (also ``python -m tracker``): look into and manage the archive.

Every subcommand takes ``--store URI`` (default: ``TRACKER_STORE``, else the SQLite file
under ``data/``). Errors are one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from tracker import __version__
from tracker.diff import diff_versions, format_diff
from tracker.normalize import article_id, canonical_url
from tracker.store import Store, StoreError, default_store_uri, mask_uri, open_store

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


class CommandError(Exception):
    """A user-facing failure: printed as one line, exit status 1."""


# --- helpers ------------------------------------------------------------------------------------


def open_existing_store(uri: str | None) -> Store:
    """Open a store for reading; a missing SQLite file is an error, not a new empty archive."""
    uri = uri or default_store_uri()
    if uri.startswith("sqlite:"):
        from tracker.store.sqlite import path_from_uri

        try:
            path = path_from_uri(uri)
        except StoreError as exc:
            raise CommandError(str(exc)) from exc
        if path != ":memory:" and not Path(path).is_file():
            raise CommandError(f"no store at {path} (set --store or TRACKER_STORE)")
    try:
        return open_store(uri)
    except StoreError as exc:
        raise CommandError(str(exc)) from exc


def find_article(store: Store, url: str) -> dict[str, Any]:
    article = store.get_article(article_id(url))
    if article is None:
        raise CommandError(f"no article stored for {canonical_url(url)} in {mask_uri(store.uri)}")
    return article


def jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, bytes):
        return None
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    return value


def short_time(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%SZ") if value else "-"


def safe_line(text: str | None, width: int = 80) -> str:
    """Untrusted text made fit for one terminal line: no control characters, bounded."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in (text or ""))
    return cleaned if len(cleaned) <= width else cleaned[: width - 1] + "…"


# --- commands -----------------------------------------------------------------------------------


def cmd_history(args: argparse.Namespace, out: TextIO) -> int:
    with open_existing_store(args.store) as store:
        article = find_article(store, args.url)
        versions = store.list_versions(article["article_id"])
        checks = store.list_checks(article["article_id"], limit=args.checks)
    if args.json:
        json.dump(
            jsonable({"article": article, "versions": versions, "checks": checks}),
            out, ensure_ascii=False, indent=2,
        )
        out.write("\n")
        return EXIT_OK
    out.write(f"{article['url']}\n")
    out.write(
        f"outlet {article.get('outlet') or '-'} · state {article.get('state')} · "
        f"{article.get('version_count') or 0} versions · first seen {short_time(article.get('first_seen_at'))} · "
        f"last checked {short_time(article.get('last_checked_at'))}\n\n"
    )
    out.write("versions\n")
    out.write(f"  {'#':>3}  {'fetched':20}  {'hash':12}  {'+words':>6}  {'-words':>6}  headline\n")
    for version in versions:
        stats = version.get("diff_stats") or {}
        out.write(
            f"  {version['version']:>3}  {short_time(version.get('fetched_at')):20}  "
            f"{(version.get('content_hash') or '')[:12]:12}  "
            f"{stats.get('words_added', version.get('word_count') if version['version'] == 1 else 0):>6}  "
            f"{stats.get('words_removed', 0):>6}  {safe_line(version.get('headline'), 60)}\n"
        )
    out.write("\nchecks (newest first)\n")
    for check in checks:
        status = check.get("status") if check.get("status") is not None else "-"
        version_note = f" -> v{check['version']}" if check.get("version") else ""
        error = f"  {safe_line(check.get('error'), 60)}" if check.get("error") else ""
        out.write(f"  {short_time(check.get('at')):20}  {status!s:>4}  {check.get('outcome')}{version_note}{error}\n")
    return EXIT_OK


def cmd_diff(args: argparse.Namespace, out: TextIO) -> int:
    with open_existing_store(args.store) as store:
        article = find_article(store, args.url)
        count = article.get("version_count") or 0
        versions = []
        for number in (args.a, args.b):
            version = store.get_version(article["article_id"], number)
            if version is None:
                available = f"1..{count}" if count else "none"
                raise CommandError(f"no version {number} of {article['url']} (versions: {available})")
            versions.append(version)
    old, new = versions
    result = diff_versions(old.get("paragraphs") or [], new.get("paragraphs") or [])
    color = args.color == "always" or (args.color == "auto" and out.isatty())
    out.write(f"{article['url']}: version {args.a} -> {args.b}\n")
    if (old.get("headline") or "") != (new.get("headline") or ""):
        out.write(f"headline: {safe_line(old.get('headline'), 200)}\n       -> {safe_line(new.get('headline'), 200)}\n")
    out.write(format_diff(result, old.get("paragraphs") or [], new.get("paragraphs") or [], color=color))
    out.write("\n")
    return EXIT_OK


# --- parser -------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tracker", description="Look into the archive of news article versions."
    )
    parser.add_argument("--version", action="version", version=f"tracker {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, handler: Callable[[argparse.Namespace, TextIO], int], help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        sub.add_argument("--store", metavar="URI", help="store URI (default: $TRACKER_STORE or sqlite:///data/tracker.sqlite3)")
        sub.set_defaults(handler=handler)
        return sub

    history = command("history", cmd_history, "list an article's versions and checks")
    history.add_argument("url", help="article URL (any variant: tracking parameters, AMP, ...)")
    history.add_argument("--json", action="store_true", help="print JSON instead of a table")
    history.add_argument("--checks", type=int, default=50, metavar="N", help="show the newest N checks (default 50)")

    diff = command("diff", cmd_diff, "show what changed between two versions of an article")
    diff.add_argument("url", help="article URL")
    diff.add_argument("a", type=int, help="older version number")
    diff.add_argument("b", type=int, help="newer version number")
    diff.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args, out)
    except CommandError as exc:
        print(f"tracker: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except StoreError as exc:
        print(f"tracker: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
