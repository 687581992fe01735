"""The ``tracker`` command (also ``python -m tracker``): look into and manage the archive.

Every subcommand takes ``--store URI`` (default: ``TRACKER_STORE``, else the SQLite file
under ``data/``). Errors are one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

from tracker import __version__
from tracker.diff import diff_versions, format_diff
from tracker.normalize import article_id, canonical_url
from tracker.revisions import changed_fields, recorded_fields
from tracker.store import Store, StoreError, default_store_uri, mask_uri, open_store
from tracker.store.base import display_state, utcnow

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


def revert_note(reverts_to: int | None) -> str:
    """ "(= v2) " before the headline of a version whose text equals an earlier one."""
    return f"(= v{reverts_to}) " if reverts_to else ""


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
        f"outlet {article.get('outlet') or '-'} · state {display_state(article)} · "
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
            f"{stats.get('words_removed', 0):>6}  {revert_note(version.get('reverts_to'))}"
            f"{safe_line(version.get('headline'), 60)}\n"
        )
    out.write("\nchecks (newest first)\n")
    for check in checks:
        status = check.get("status") if check.get("status") is not None else "-"
        version_note = f" -> v{check['version']}" if check.get("version") else ""
        if check.get("matched_version") and not check.get("version"):  # a flip-flop
            version_note = f" (= v{check['matched_version']})"
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
    before, after = recorded_fields(old), recorded_fields(new)
    for name in changed_fields(before, after):  # headline, standfirst, byline: two lines each
        shown = "(not recorded)" if before[name] is None else safe_line(before[name], 200)
        out.write(f"{name}: {shown}\n{' ' * (len(name) - 1)}-> {safe_line(after[name], 200)}\n")
    out.write(format_diff(result, old.get("paragraphs") or [], new.get("paragraphs") or [], color=color))
    out.write("\n")
    return EXIT_OK


def cmd_status(args: argparse.Namespace, out: TextIO) -> int:
    from tracker.status import outlet_status

    with open_existing_store(args.store) as store:
        rows = outlet_status(store, utcnow())
    if args.json:
        json.dump(jsonable(rows), out, ensure_ascii=False, indent=2)
        out.write("\n")
        return EXIT_OK
    if not rows:
        out.write("no articles stored yet\n")
        return EXIT_OK
    columns = ("outlet", "tracked", "active", "retired", "gone", "due_now", "versions_24h", "pending", "last_crawl")
    out.write(
        f"{'outlet':14} {'tracked':>8} {'active':>7} {'retired':>8} {'gone':>5} {'due now':>8} {'versions 24h':>13} "
        f"{'pending':>8}  {'last crawl':20} parser\n"
    )
    for row in rows:
        values = [row[name] for name in columns]
        out.write(
            f"{safe_line(values[0], 14):14} {values[1]:>8} {values[2]:>7} {values[3]:>8} {values[4]:>5} "
            f"{values[5]:>8} {values[6]:>13} {values[7]:>8}  {short_time(values[8]):20} {parser_health_cell(row)}\n"
        )
    write_last_runs(rows, out)
    return EXIT_OK


def write_last_runs(rows: list[dict[str, Any]], out: TextIO) -> None:
    """Each outlet's latest crawl: a dead outlet shows as fetched 0 and a non-zero exit."""
    from tracker.crawlreport import EXIT_MEANINGS

    runs = [row["last_run"] for row in rows if row.get("last_run")]
    if not runs:
        return
    out.write(f"\nlast run\n{'outlet':14} {'finished':20} {'fetched':>8} {'failed':>7} {'new versions':>13}  exit\n")
    for run in runs:
        status = run.get("exit_status")
        out.write(
            f"{safe_line(run.get('outlet'), 14):14} {short_time(run.get('finished_at')):20} {run.get('fetched', 0):>8} "
            f"{run.get('failed', 0):>7} {(run.get('new_articles') or 0) + (run.get('new_versions') or 0):>13}  "
            f"{status} {EXIT_MEANINGS.get(status, '')}\n"
        )


def parser_health_cell(row: dict[str, Any]) -> str:
    """ "ok", or "BROKEN? 80% disagree" when the outlet parser looks broken; "-" without checks."""
    share = row.get("disagreement_24h")
    if share is None:
        return "-"
    if row.get("parser_broken"):
        return f"BROKEN? {share:.0%} disagree"
    return f"ok ({share:.0%} disagree)" if share else "ok"


def cmd_schedule(args: argparse.Namespace, out: TextIO) -> int:
    from tracker.scrapyd import LOG_FORMAT, ScrapydError, default_lock_path, run_scheduler
    from tracker.schedule import parse_duration

    if args.status:
        return show_schedule_status(args, out)

    settings = {}
    for pair in args.setting or []:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise CommandError(f"-s expects NAME=VALUE, got {pair!r}")
        settings[name] = value
    if args.store:
        settings.setdefault("TRACKER_STORE", args.store)
    try:
        every = parse_duration(args.every)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    outlets = [name.strip() for name in (args.outlets or "").split(",") if name.strip()] or None
    # The scheduler runs unattended: each decision is a log line.
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    try:
        run_scheduler(
            args.scrapyd, project=args.project, outlets=outlets, every=every,
            once=args.once, settings=settings,
            lock_path=Path(args.lock_file) if args.lock_file else default_lock_path(args.project),
        )
    except ScrapydError as exc:
        raise CommandError(str(exc)) from exc
    return EXIT_OK


def show_schedule_status(args: argparse.Namespace, out: TextIO) -> int:
    """Per node, what runs and what waits; exit 1 when a node does not answer."""
    from tracker.scrapyd import ScrapydError, node_status, parse_nodes

    try:
        nodes = node_status(parse_nodes(args.scrapyd), args.project)
    except ScrapydError as exc:
        raise CommandError(str(exc)) from exc
    if args.json:
        out.write(json.dumps(jsonable(nodes), indent=2) + "\n")
    for node in [] if args.json else nodes:
        if not node["ok"]:
            out.write(f"{node['node']}  DOWN  {node['message']}\n")
            continue
        out.write(f"{node['node']}  {len(node['running'])} running, {len(node['pending'])} pending\n")
        for state in ("running", "pending"):
            for job in node[state]:
                since = job.get("start_time") or ""
                out.write(f"  {state:<8} {job.get('spider', '?'):<16} {job.get('id', '')}  {since}\n")
    return EXIT_OK if all(node["ok"] for node in nodes) else EXIT_ERROR


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    from tracker.export.command import run

    return run(args, out)


def cmd_notify(args: argparse.Namespace, out: TextIO) -> int:
    from tracker.notify.command import run

    return run(args, out)


def cmd_outlets(args: argparse.Namespace, out: TextIO) -> int:
    from tracker.outlets_command import run

    return run(args, out)


def cmd_serve(args: argparse.Namespace, out: TextIO) -> int:
    from tracker.web.serve import cmd_serve as serve

    return serve(args, out)


def cmd_migrate(args: argparse.Namespace, out: TextIO) -> int:
    from tracker.migrate import migrate

    source = open_existing_store(args.source)
    try:
        try:
            target = open_store(args.target)
        except StoreError as exc:
            raise CommandError(str(exc)) from exc
        with target:
            total = source.count("articles")
            bar = ProgressBar(total, sys.stderr, enabled=not args.quiet)
            counts = migrate(source, target, progress=bar.update)
            bar.finish()
    finally:
        source.close()
    out.write(
        f"{counts['articles']} articles: {counts['versions']} versions and {counts['checks']} checks copied, "
        f"{counts['versions_skipped']} versions and {counts['checks_skipped']} checks already there\n"
    )
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    from tracker.demo import DEMO_STORE, DemoError, build_demo

    uri = args.store or DEMO_STORE
    try:
        counts = build_demo(uri, progress=lambda line: print(line, file=sys.stderr, flush=True))
    except DemoError as exc:
        raise CommandError(str(exc)) from exc
    out.write(
        f"demo archive {mask_uri(uri)}: {counts['articles']} articles, {counts['versions']} versions, "
        f"{counts['checks']} checks\n"
    )
    if args.serve:
        args.store = uri
        return cmd_serve(args, out)
    out.write(f"see it: tracker serve --store {uri}\n")
    return EXIT_OK


class ProgressBar:
    """A one-line progress bar on a terminal; nothing when output is not a terminal."""

    def __init__(self, total: int, stream: TextIO, *, enabled: bool = True, width: int = 30) -> None:
        self.total = max(total, 1)
        self.stream = stream
        self.enabled = enabled and stream.isatty()
        self.width = width

    def update(self, counts: dict[str, int]) -> None:
        if not self.enabled:
            return
        done = min(counts.get("articles", 0), self.total)
        filled = self.width * done // self.total
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (self.width - filled)}] {done}/{self.total} articles, "
            f"{counts.get('versions', 0)} versions, {counts.get('checks', 0)} checks"
        )
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self.stream.write("\n")


# --- parser -------------------------------------------------------------------------------------


class OneLineErrorParser(argparse.ArgumentParser):
    """Usage errors as one line (``tracker diff: argument a: invalid int value: 'x'``), exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineErrorParser(
        prog="tracker", description="Look into the archive of news article versions."
    )
    parser.add_argument("--version", action="version", version=f"tracker {__version__}")
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", required=True, parser_class=OneLineErrorParser
    )

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

    status = command("status", cmd_status, "per outlet: articles tracked, active, retired, gone, due, recent versions")
    status.add_argument("--json", action="store_true", help="print JSON instead of a table")

    from tracker.export.command import add_arguments as add_export_arguments

    export = command("export", cmd_export, "write the archive as Parquet, JSONL or CSV tables for research")
    add_export_arguments(export)

    migrate = commands.add_parser(
        "migrate", help="copy a whole archive between stores (SQLite <-> MongoDB), resumably",
        description="Copy every article, version and check from one store to another. "
        "What the target already has is skipped, so an interrupted run is finished by running it again.",
    )
    migrate.add_argument("--from", dest="source", required=True, metavar="URI", help="store to copy from")
    migrate.add_argument("--to", dest="target", required=True, metavar="URI", help="store to copy into")
    migrate.add_argument("--quiet", action="store_true", help="no progress bar")
    migrate.set_defaults(handler=cmd_migrate)

    demo = commands.add_parser(
        "demo", help="build a small demo archive from local pages, without the internet",
        description="Serve six articles of three outlets on 127.0.0.1, crawl them three times with "
        "scrapy crawl, editing them between the crawls, into a new store.",
    )
    demo.add_argument("--store", metavar="URI", help="an empty or new store (default: sqlite:///data/demo.sqlite3)")
    demo.add_argument("--serve", action="store_true", help="then serve it, as tracker serve does")
    demo.set_defaults(handler=cmd_demo)

    serve = command("serve", cmd_serve, "serve the read-only web view, feeds and JSON API (waitress)")
    for sub in (serve, demo):
        sub.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        sub.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
        sub.add_argument("--threads", type=int, default=4, help="worker threads (default 4)")

    from tracker.notify.command import add_arguments as add_notify_arguments

    notify = command("notify", cmd_notify, "send the notifications of TRACKER_NOTIFY for new versions (webhooks, Apprise)")
    add_notify_arguments(notify)

    from tracker.outlets_command import add_arguments as add_outlets_arguments

    outlets = command("outlets", cmd_outlets, "check a configured-outlets file (TRACKER_OUTLETS_FILE) or draft one")
    add_outlets_arguments(outlets, OneLineErrorParser)

    schedule = command(
        "schedule", cmd_schedule,
        "keep every outlet crawling on time through scrapyd (one job per outlet at a time)",
    )
    schedule.add_argument("--scrapyd", required=True, metavar="URL[,URL…]",
                          help="scrapyd base URL, e.g. http://127.0.0.1:6800; several nodes comma-separated")
    schedule.add_argument("--project", default="tracker", help="scrapyd project name (default: tracker)")
    schedule.add_argument("--outlets", metavar="A,B", help="comma-separated spider names (default: every spider the project has)")
    schedule.add_argument("--every", default="15m", metavar="DURATION", help="time between rounds (default 15m; e.g. 90s, 1h)")
    schedule.add_argument("--once", action="store_true", help="one round, then exit")
    schedule.add_argument("-s", "--set", dest="setting", action="append", metavar="NAME=VALUE",
                          help="Scrapy setting passed to every job (repeatable)")
    schedule.add_argument("--status", action="store_true", help="show per node what runs and what waits, then exit")
    schedule.add_argument("--json", action="store_true", help="with --status: JSON")
    schedule.add_argument("--lock-file", metavar="PATH",
                          help="lock held during each round, shared by schedulers that may run at once "
                               "(default: one per project in the temporary directory)")
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
