"""Pages prepared by the extraction worker (tracked text, hashes, word count and compressed HTML
computed ahead: ``prepared``, see tracker.revisions.prepare_page) store exactly what the
recorder stores when it computes all of it itself (spool replays, pages extracted after all)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from itemadapter import ItemAdapter
from scrapy.http import HtmlResponse

from pipelines.revisions import RevisionPipeline
from spiders.washpo import WashingtonPostSpider
from tests.spidertools import make_spider
from tests.test_revisions import BODY, URL, at, page
from tests.test_spool import SwitchableStore, pipeline  # noqa: F401 (a fixture)
from tracker.normalize import article_id
from tracker.revisions import (
    Limits,
    Recorder,
    limits_from_settings,
    prepare_page,
    tracked_text,
)
from tracker.store import Store, open_store
from tracker.store.base import decompress_html

AID = article_id(URL)
LIMITS = Limits(max_paragraphs=20, max_body_chars=400, min_body_words=10)
EDITED = [BODY[0], BODY[1].replace("five", "six"), BODY[2]]


def html_of(fields: dict[str, Any]) -> str:
    return "<html><body>" + "".join(f"<p>{p}</p>" for p in fields["paragraphs"]) + "</body></html>"


def prepared(fields: dict[str, Any], limits: Limits = LIMITS, keep_html: bool = True) -> dict[str, Any]:
    """The page as a worker's item carries it."""
    return {**fields, "prepared": prepare_page(fields, fields.get("html"), limits, keep_html=keep_html)}


def stored(store: Store) -> tuple[Any, ...]:
    """Everything stored about the article, each version in full (its HTML too)."""
    article = store.get_article(AID)
    versions = [store.get_version(AID, number) for number in range(1, (article or {}).get("version_count", 0) + 1)]
    return article, store.list_checks(AID), versions


def record_both(tmp_path: Path, sequence: list[dict[str, Any]], **options: Any) -> list[str]:
    """Record the sequence as it is and prepared, into two stores; the outcomes, once both
    stores are shown to hold the same."""
    with open_store(f"sqlite:///{tmp_path}/plain.sqlite3") as plain, \
            open_store(f"sqlite:///{tmp_path}/prepared.sqlite3") as ahead:
        outcomes = []
        for number, fields in enumerate(sequence):
            fields = {**fields, "fetched_at": at(15 * number), "html": html_of(fields)}
            expected = Recorder(plain, limits=LIMITS, **options).record(fields)
            result = Recorder(ahead, limits=LIMITS, **options).record(prepared(fields))
            assert result == expected
            outcomes.append(result.outcome)
        assert stored(plain) == stored(ahead)
        return outcomes


@pytest.mark.parametrize(
    ("sequence", "outcomes"),
    [
        ([page(), page(), page(paragraphs=EDITED)], ["new", "unchanged", "changed"]),
        ([page(), page(paragraphs=[BODY[0], BODY[1], BODY[2].replace("'", "\u2019")])], ["new", "boring"]),
        ([page(), page(headline="Roof collapses; six hurt", standfirst="Six hurt.", byline="B. Writer")],
         ["new", "changed"]),
        ([page(headline="A"), page(headline="B"), page(headline="A"), page(headline="B"), page(headline="B")],
         ["new", "changed", "changed", "flipflop", "changed"]),
        ([page(), page(paragraphs=BODY[:1], isAccessibleForFree=False)], ["new", "paywall"]),
        ([page(), page(paragraphs=[], looks_like_article=True), page(paragraphs=["Too short."])],
         ["new", "extraction_failed", "empty"]),
        ([page(paragraphs=BODY * 10), page(paragraphs=BODY * 10 + ["More text at the end of it."])],
         ["new", "unchanged"]),  # cut to the limits, identically
        ([page(), page(paragraphs=EDITED, disagreement=0.5), page(paragraphs=EDITED, parser_failed=True)],
         ["new", "extraction_disagreement", "extraction_fallback"]),
    ],
    ids=["changed", "boring", "tracked-fields", "flipflop", "paywall", "empty", "truncated", "parser-health"],
)
def test_prepared_pages_store_what_plain_pages_store(tmp_path: Path, sequence: list[dict], outcomes: list[str]) -> None:
    assert record_both(tmp_path, sequence) == outcomes


def test_the_compressed_html_is_the_pages(tmp_path: Path) -> None:
    record_both(tmp_path, [page(), page(paragraphs=EDITED)])
    with open_store(f"sqlite:///{tmp_path}/prepared.sqlite3") as store:
        version = store.get_version(AID, 2)
        assert decompress_html(version["html"], version["html_encoding"]) == html_of(page(paragraphs=EDITED))


def test_without_keep_html_no_html_is_stored_prepared_or_not(tmp_path: Path) -> None:
    record_both(tmp_path, [page(), page(paragraphs=EDITED)], keep_html=False)
    with open_store(f"sqlite:///{tmp_path}/prepared.sqlite3") as store:
        assert store.get_version(AID, 2).get("html") is None


def test_a_page_prepared_for_other_limits_is_worked_out_again(tmp_path: Path) -> None:
    fields = page(paragraphs=BODY * 10, fetched_at=at(0), html=html_of(page()))
    with open_store(f"sqlite:///{tmp_path}/t.sqlite3") as store:
        Recorder(store, limits=LIMITS).record(prepared(fields, limits=Limits()))
        # Cut to the recorder's limits, not to the (larger) ones the page was prepared for.
        assert sum(map(len, store.get_version(AID, 1)["paragraphs"])) == LIMITS.max_body_chars


def test_a_spooled_prepared_page_is_replayed_as_it_would_have_been_stored(
    pipeline: tuple[RevisionPipeline, SwitchableStore],  # noqa: F811
) -> None:
    pipe, store = pipeline
    first = prepared(page(fetched_at=at(0)), limits=pipe.limits)
    first["html"] = html_of(first)
    store.down = True
    assert pipe._record_or_spool(first) is None
    # The spool holds plain JSON: nothing of what the worker prepared (bytes among it).
    assert "prepared" not in json.loads(pipe.spool._db.execute("SELECT page FROM pages").fetchone()[0])
    store.down = False
    second = prepared({**page(paragraphs=EDITED, fetched_at=at(15)), "html": html_of(page(paragraphs=EDITED))},
                      limits=pipe.limits)
    assert pipe._record_or_spool(second).outcome == "changed"
    versions = [store.store.get_version(AID, number) for number in (1, 2)]
    assert [v["paragraphs"] for v in versions] == [BODY, EDITED]
    assert decompress_html(versions[0]["html"], versions[0]["html_encoding"]) == html_of(first)


@pytest.mark.parametrize("workers", [0, 1])
def test_the_spiders_items_carry_what_the_recorder_would_compute(tmp_path: Path, workers: int) -> None:
    spider = make_spider(WashingtonPostSpider, tmp_path, {"TRACKER_EXTRACT_WORKERS": workers})
    request = spider.article_request(URL, source="argument")
    html = page_html("Roof collapses", BODY)
    response = HtmlResponse(URL, body=html.encode("cp1252"), encoding="cp1252", request=request)

    async def parse() -> list[Any]:
        return [item async for item in spider.parse_article(response)]

    try:
        (item,) = asyncio.run(parse())
    finally:
        spider.extractor.close()
    fields = dict(ItemAdapter(item).items())
    limits = limits_from_settings(spider.settings)
    assert fields["prepared"]["text"] == tracked_text(fields, limits)[0]
    assert decompress_html(*fields["prepared"]["html"]) == item.html == html
    with open_store(f"sqlite:///{tmp_path}/plain.sqlite3") as plain, \
            open_store(f"sqlite:///{tmp_path}/prepared.sqlite3") as ahead:
        Recorder(plain, limits=limits).record({name: value for name, value in fields.items() if name != "prepared"})
        Recorder(ahead, limits=limits).record(fields)
        assert stored(plain) == stored(ahead)
        assert stored(ahead)[2][0]["paragraphs"] == BODY


def page_html(headline: str, paragraphs: list[str]) -> str:
    """A Washington Post page as its parser reads it."""
    body = "".join(
        f'<div class="article-body" data-qa="article-body"><p data-el="text">{text}</p></div>' for text in paragraphs
    )
    return (f'<html lang="en-US"><head><meta charset="windows-1252"><title>{headline}</title></head><body><main>'
            f'<article><h1 data-qa="headline">{headline} \u2014 caf\xe9</h1>{body}</article></main></body></html>')
