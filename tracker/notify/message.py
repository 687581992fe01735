"""What a notification says: the JSON payload of a webhook (``docs/DATA.md`` field names)
and the title and text Apprise targets get.

Article text is untrusted: every piece is bounded here, and Apprise targets get plain text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from tracker.cli import jsonable

MAX_SENTENCES = 3        # changed sentences of each kind in a message
MAX_SENTENCE_CHARS = 400
MAX_SUMMARY_ITEMS = 20   # versions listed by name in a flood-guard summary


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    payload: dict[str, Any]


def _cut(text: Any, limit: int = MAX_SENTENCE_CHARS) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def web_links(base_url: str, article_id: str, number: int) -> dict[str, str | None]:
    """The article's page and the comparison with the version before, on the web view."""
    if not base_url:
        return {"page_url": None, "compare_url": None}
    base = base_url.rstrip("/")
    page = f"{base}/article/{quote(article_id, safe='')}"
    compare = f"{page}/compare?a={number - 1}&b={number}" if number > 1 else None
    return {"page_url": page, "compare_url": compare}


def changed_sentences(diff: dict[str, Any]) -> dict[str, list[Any]]:
    """The first few edited (old -> new), added and deleted sentences of a stored diff."""
    sentences = diff.get("sentences") or {}
    edited = [
        {"old": _cut(pair.get("old")), "new": _cut(pair.get("new"))}
        for pair in (sentences.get("edited") or [])[:MAX_SENTENCES] if isinstance(pair, dict)
    ]
    return {
        "edited": edited,
        "added": [_cut(text) for text in (sentences.get("added") or [])[:MAX_SENTENCES]],
        "deleted": [_cut(text) for text in (sentences.get("deleted") or [])[:MAX_SENTENCES]],
    }


def version_payload(article: dict[str, Any], version: dict[str, Any], base_url: str = "") -> dict[str, Any]:
    """The webhook payload for one stored version."""
    number = int(version["version"])
    diff = version.get("diff") or {}
    headline = diff.get("headline")
    payload = {
        "event": "new" if number == 1 else "changed",
        "article_id": version["article_id"],
        "url": article.get("url") or version.get("url"),
        "outlet": version.get("outlet") or article.get("outlet"),
        "version": number,
        "fetched_at": version.get("fetched_at"),
        "headline": _cut(version.get("headline"), 500),
        "word_count": version.get("word_count"),
        "diff_stats": version.get("diff_stats") or diff.get("stats"),
        "diff": {
            "headline": {"old": _cut(headline.get("old"), 500), "new": _cut(headline.get("new"), 500)} if headline else None,
            "sentences": changed_sentences(diff),
            "truncated": bool(diff.get("truncated")),
        },
        **web_links(base_url, version["article_id"], number),
    }
    return jsonable(payload)


def version_message(article: dict[str, Any], version: dict[str, Any], base_url: str = "") -> Message:
    payload = version_payload(article, version, base_url)
    return Message(title=_title(payload), body=_body(payload), payload=payload)


def _title(payload: dict[str, Any]) -> str:
    what = "new article" if payload["version"] == 1 else f"version {payload['version']}"
    return _cut(f"{payload['outlet']}: {payload['headline']} ({what})", 250)


def _body(payload: dict[str, Any]) -> str:
    lines: list[str] = []
    stats = payload.get("diff_stats") or {}
    if payload["version"] == 1:
        lines.append(f"First seen, {payload.get('word_count') or 0} words.")
    else:
        lines.append(f"+{stats.get('words_added', 0)} / -{stats.get('words_removed', 0)} words.")
    diff = payload["diff"]
    if diff["headline"]:
        lines.append(f"Headline: {diff['headline']['old']} → {diff['headline']['new']}")
    sentences = diff["sentences"]
    lines += [f"Edited: {pair['old']} → {pair['new']}" for pair in sentences["edited"]]
    lines += [f"Added: {text}" for text in sentences["added"]]
    lines += [f"Removed: {text}" for text in sentences["deleted"]]
    if payload.get("compare_url"):
        lines.append(f"Compare: {payload['compare_url']}")
    lines.append(f"Original: {payload['url']}")
    return "\n".join(lines)


def summary_message(items: list[tuple[dict[str, Any], dict[str, Any]]], base_url: str = "") -> Message:
    """One message for the versions the flood guard held back: (article, version) pairs."""
    listed = [version_payload(article, version, base_url) for article, version in items[:MAX_SUMMARY_ITEMS]]
    versions = [
        {name: entry[name] for name in ("article_id", "url", "outlet", "version", "fetched_at", "headline",
                                         "diff_stats", "page_url", "compare_url")}
        for entry in listed
    ]
    payload = {"event": "summary", "count": len(items), "versions": versions}
    lines = [f"- {entry['outlet']}: {entry['headline']} (version {entry['version']}) {entry['compare_url'] or entry['url']}"
             for entry in versions]
    if len(items) > len(versions):
        lines.append(f"… and {len(items) - len(versions)} more.")
    title = f"{len(items)} more article changes"
    return Message(title=title, body="\n".join(lines), payload=payload)


SAMPLE_ARTICLE = {
    "article_id": "0123456789abcdef01234567",
    "url": "https://www.example.com/politics/2024/01/05/senate-vote-budget/",
    "outlet": "example",
}
SAMPLE_VERSION = {
    "article_id": SAMPLE_ARTICLE["article_id"], "version": 2, "outlet": "example",
    "fetched_at": dt.datetime(2024, 1, 5, 14, 0, tzinfo=dt.UTC),
    "headline": "Senate approves stopgap budget after late-night vote", "word_count": 412,
    "diff_stats": {"paragraphs_added": 0, "paragraphs_removed": 0, "paragraphs_changed": 1,
                   "words_added": 1, "words_removed": 1},
    "diff": {
        "headline": {"old": "Senate approves stopgap budget",
                     "new": "Senate approves stopgap budget after late-night vote"},
        "sentences": {"edited": [{"old": "Police said five people were detained.",
                                  "new": "Police said six people were detained."}],
                      "added": [], "deleted": [], "moved": []},
    },
}


def sample_message(base_url: str = "") -> Message:
    """What ``tracker notify --test`` sends: a made-up change, marked as a test."""
    message = version_message(SAMPLE_ARTICLE, SAMPLE_VERSION, base_url)
    payload = {**message.payload, "event": "test"}
    return Message(title=f"[test] {message.title}", body=message.body, payload=payload)
