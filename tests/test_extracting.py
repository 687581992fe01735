"""tracker.extracting.ExtractorPool: extraction in worker processes, bounded and crash-proof,
given the response's raw bytes, and preparing the recorder's per-page work there."""

from __future__ import annotations

import asyncio

import pytest
from scrapy.http import HtmlResponse

from tests.site.outlets.washpo import ARTICLE_URLS, article_page
from tracker.extracting import ExtractorPool, decode_body
from tracker.extraction import extract_article
from tracker.revisions import Limits, body_hash, prepare_page, tracked_text
from tracker.store.base import decompress_html

URL = ARTICLE_URLS[0]
PAGE = article_page(
    url=URL, headline="Budget passes",
    paragraphs=["The council approved the budget on Tuesday after a long debate about costs — “at last”."],
)
BODY = PAGE.encode("utf-8")
LIMITS = Limits(max_paragraphs=50, max_body_chars=10_000, min_body_words=5)


def run(coroutine):  # type: ignore[no-untyped-def]
    return asyncio.run(coroutine)


@pytest.mark.parametrize("workers", [0, 1])
def test_workers_give_what_extract_article_gives(workers: int) -> None:
    pool = ExtractorPool(workers=workers, timeout=60)
    try:
        fields = run(pool.extract(BODY, URL, encoding="utf-8", content_type="text/html"))
    finally:
        pool.close()
    # Hashed there too: what a re-check of the same bytes is recognised by.
    assert fields.pop("body_hash") == body_hash(BODY, URL, "text/html")
    assert fields == extract_article(PAGE, URL)


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        (PAGE.replace('<meta charset="utf-8">', "").encode("cp1252"),
         {"Content-Type": "text/html; charset=windows-1252"}),
        (b'<html><head><meta charset="iso-8859-1"></head><body><p>Caf\xe9 cr\xe8me</p></body></html>', {}),
        (b"\xef\xbb\xbf" + BODY, {"Content-Type": "text/html; charset=iso-8859-1"}),  # the BOM wins
        (b"<p>Broken \xff\xfe bytes \xc3</p>", {"Content-Type": "text/html; charset=utf-8"}),
    ],
    ids=["header-charset", "meta-charset", "bom", "invalid-bytes"],
)
def test_the_worker_decodes_the_body_as_scrapy_does(body: bytes, headers: dict[str, str]) -> None:
    response = HtmlResponse(URL, body=body, headers=headers)
    assert decode_body(response.body, response.encoding) == response.text


@pytest.mark.parametrize("workers", [0, 1])
@pytest.mark.parametrize("keep_html", [True, False])
def test_the_pool_prepares_the_recorders_work(workers: int, keep_html: bool) -> None:
    pool = ExtractorPool(workers=workers, timeout=60, limits=LIMITS, keep_html=keep_html)
    try:
        fields = run(pool.extract(BODY, URL, encoding="utf-8"))
    finally:
        pool.close()
    prepared = fields.pop("prepared")
    assert fields.pop("body_hash") == body_hash(BODY, URL, "")
    assert fields == extract_article(PAGE, URL)
    text, truncated = tracked_text(fields, LIMITS)
    assert prepared["text"] == text and prepared["truncated"] is truncated
    assert prepared["limits"] == LIMITS
    # Computed in the worker, carried here: no hashing left for the recorder.
    assert prepared["text"]._memo == {
        "content_hash/2": text.content_hash(), "raw_hash/2": text.raw_hash(), "word_count": text.word_count(),
    }
    if keep_html:
        assert decompress_html(*prepared["html"]) == PAGE
    else:
        assert "html" not in prepared
    assert prepared == prepare_page(fields, PAGE, LIMITS, keep_html=keep_html)


def test_without_limits_nothing_is_prepared() -> None:
    pool = ExtractorPool(workers=0, timeout=60)
    try:
        assert "prepared" not in run(pool.extract(BODY, URL, encoding="utf-8"))
    finally:
        pool.close()


def test_a_page_over_the_time_limit_is_given_up_and_the_pool_recovers() -> None:
    pool = ExtractorPool(workers=1, timeout=0.000001, limits=LIMITS)
    try:
        failed = run(pool.extract(BODY, URL, encoding="utf-8"))
        assert failed["paragraphs"] == [] and failed["extractor"] == "none"
        assert failed["looks_like_article"] is True  # recorded as extraction_failed, loudly
        assert "prepared" not in failed  # the recorder works it out from the empty fields
        pool.timeout = 60
        assert run(pool.extract(BODY, URL, encoding="utf-8"))["headline"] == "Budget passes"
    finally:
        pool.close()


def test_a_dead_worker_costs_one_page_not_the_crawl() -> None:
    pool = ExtractorPool(workers=1, timeout=60)

    async def scenario() -> tuple[dict, dict]:
        await pool.extract(BODY, URL, encoding="utf-8")  # starts the worker
        for process in pool._get_pool()._processes.values():  # type: ignore[union-attr]
            process.kill()
            process.join()
        return await pool.extract(BODY, URL, encoding="utf-8"), await pool.extract(BODY, URL, encoding="utf-8")

    try:
        crashed, after = run(scenario())
        assert crashed["paragraphs"] == [] and crashed["looks_like_article"] is True
        assert after["headline"] == "Budget passes"
    finally:
        pool.close()
