"""Copy everything from one store to another (SQLite <-> MongoDB), resumably.

Only the :class:`~tracker.store.base.Store` interface is used, so any pair of stores works.
Each article's history is replayed oldest first: a check that made version n writes that
version with :meth:`save_version`, any other check goes through :meth:`record_check`, each
carrying the source's article fields, so the target ends with the same article, versions
and checks. What the target already holds is skipped -- versions by (article_id, version),
checks by their full content -- so an interrupted run is finished by running it again, and
a second run writes nothing.

Lossless, with one caveat: MongoDB keeps times to the millisecond, so sub-millisecond parts
of SQLite times do not survive a trip through MongoDB.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import Any

from tracker.store.base import ARTICLE_STATES, Store, StoreError, as_utc

__all__ = ["migrate"]

Progress = Callable[[dict[str, int]], None]

_MADE_A_VERSION = ("new", "changed")


def _check_key(check: dict[str, Any]) -> tuple[Any, ...]:
    """What identifies a check across stores: all its fields, times to the millisecond."""
    key = []
    for name in sorted(check):
        value = check[name]
        if isinstance(value, dt.datetime):
            stamp = as_utc(value)
            assert stamp is not None
            value = stamp.replace(microsecond=stamp.microsecond // 1000 * 1000)
        key.append((name, value))
    return tuple(key)


def migrate(source: Store, target: Store, *, progress: Progress | None = None) -> dict[str, int]:
    """Copy all articles, versions and checks of ``source`` into ``target``.

    Returns counts: ``articles`` seen, ``versions`` and ``checks`` written (a version's
    check included), ``versions_skipped`` and ``checks_skipped`` (already in the target),
    and ``checks_synthesised`` (a version whose creating check the source lacked got one
    made from the version, since a version is only stored together with a check; these are
    counted in ``checks`` too). ``progress`` is called with the counts so far after each
    article.
    Raises :class:`StoreError` if the target holds a different version under a number.
    """
    counts: Counter[str] = Counter(
        articles=0, versions=0, versions_skipped=0, checks=0, checks_skipped=0, checks_synthesised=0
    )
    for article in source.iter_articles(states=ARTICLE_STATES):
        _copy_article(source, target, article, counts)
        counts["articles"] += 1
        if progress is not None:
            progress(dict(counts))
    missing = source.count("articles") - counts["articles"]
    if missing > 0:
        raise StoreError(
            f"{missing} articles of the source have a state outside {ARTICLE_STATES} and were not copied"
        )
    return dict(counts)


def _copy_article(source: Store, target: Store, article: dict[str, Any], counts: Counter[str]) -> None:
    aid = article["article_id"]
    fields = {name: value for name, value in article.items() if name != "version_count"}  # the target counts
    versions = {v["version"]: v for v in source.list_versions(aid)}
    present = {v["version"]: v for v in target.list_versions(aid)}
    for number, stored in present.items():
        if number not in versions or versions[number]["content_hash"] != stored["content_hash"]:
            raise StoreError(
                f"article {aid}: the target's version {number} is not the source's; not migrating it"
            )
    counts["versions_skipped"] += len(present)
    written = max(present, default=0)
    # Checks the target already has, by content (several may be identical).
    in_target = Counter(_check_key(c) for c in target.list_checks(aid))

    def write_version(number: int, check: dict[str, Any] | None) -> None:
        nonlocal written
        version = source.get_version(aid, number)
        if version is None:
            raise StoreError(f"article {aid}: version {number} vanished from the source")
        if check is None:  # a version must come with its check: make one from the version
            check = {
                "at": version["fetched_at"], "url": version["url"], "status": None,
                "outcome": "new" if number == 1 else "changed",
                "content_hash": version["content_hash"], "extractor": version["extractor"],
            }
            counts["checks_synthesised"] += 1
        body = {k: v for k, v in version.items() if k not in ("article_id", "version")}
        target.save_version(fields, body, _without_ids(check), expected_count=number - 1)
        written = number
        counts["versions"] += 1
        counts["checks"] += 1

    for check in reversed(source.list_checks(aid)):  # oldest first, as it happened
        number = check.get("version")
        if check.get("outcome") in _MADE_A_VERSION and number is not None and number > written:
            while written + 1 < number:  # versions whose creating check is missing
                write_version(written + 1, None)
            write_version(number, check)
            continue
        key = _check_key(check)
        if in_target[key] > 0:
            in_target[key] -= 1
            counts["checks_skipped"] += 1
            continue
        target.record_check(fields, _without_ids(check))
        counts["checks"] += 1
    while written < max(versions, default=0):
        write_version(written + 1, None)


def _without_ids(check: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in check.items() if name != "article_id"}
