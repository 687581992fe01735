"""``tracker outlets``: check a configured-outlets file (``check``) or draft a table for a
site from one of its pages (``suggest``)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TextIO

from tracker.cli import EXIT_OK, CommandError, safe_line
from tracker.outlets import DEFAULT_OUTLETS_FILE, OutletsFileError, builtin_spider_names, load_outlets, outlets_file


def add_arguments(parser: argparse.ArgumentParser, parser_class: type[argparse.ArgumentParser]) -> None:
    actions = parser.add_subparsers(dest="outlets_action", metavar="ACTION", required=True, parser_class=parser_class)
    check = actions.add_parser(
        "check", help="validate the file and list each outlet's sources",
        description="Validate a configured-outlets file: one line naming the file, the outlet and "
        "the field for the first problem (exit status 1), else each outlet's hosts and sources.",
    )
    check.add_argument(
        "file", nargs="?",
        help=f"the TOML file (default: $TRACKER_OUTLETS_FILE, else ./{DEFAULT_OUTLETS_FILE})",
    )
    suggest = actions.add_parser(
        "suggest", help="propose an [outlets.<name>] table from an article page (a file or a URL)",
        description="Read an article page (a saved file or an http(s) URL) and print a draft table: "
        "its host, the feeds the page announces, an article URL pattern. Edit it before use.",
    )
    suggest.add_argument("page", help="a saved article page, or its URL")
    suggest.add_argument("--name", help="the spider name to propose (default: from the host)")


def run(args: argparse.Namespace, out: TextIO) -> int:
    if args.outlets_action == "suggest":
        from tracker.outlets_suggest import suggest_table

        out.write(suggest_table(args.page, name=args.name))
        return EXIT_OK
    return check(args.file, out)


def check(file: str | None, out: TextIO) -> int:
    path = outlets_file(file or os.environ.get("TRACKER_OUTLETS_FILE"))
    if path is None:
        raise CommandError(f"no outlets file: give one, set TRACKER_OUTLETS_FILE or create ./{DEFAULT_OUTLETS_FILE}")
    try:
        outlets = load_outlets(path, reserved_names=builtin_spider_names())
    except OutletsFileError as exc:
        raise CommandError(str(exc)) from None
    for config in outlets:
        out.write(f"{config.name}\n")
        out.write(f"  hosts        {', '.join(config.hosts)}\n")
        out.write(f"  article_url  {safe_line(config.article_url, 200)}\n")
        if config.exclude_url:
            out.write(f"  exclude_url  {safe_line(config.exclude_url, 200)}\n")
        for kind, urls in config.sources().items():
            out.writelines(f"  {kind[:-1]:12} {url}\n" for url in urls)
        if config.language:
            out.write(f"  language     {config.language}\n")
        if config.selectors is not None:
            given = [name for name, value in vars(config.selectors).items() if value]
            out.write(f"  selectors    {', '.join(given)}\n")
        else:
            out.write("  extraction   generic (no selectors)\n")
    out.write(f"{Path(path)}: {len(outlets)} outlet{'s' if len(outlets) != 1 else ''}, all valid\n")
    return EXIT_OK
