"""tracker.extracting.ExtractorPool: extraction in worker processes, bounded and crash-proof,
given the response's raw bytes, and preparing the recorder's per-page work there."""

from __future__ import annotations

import asyncio
import logging

import pytest
from scrapy.http import HtmlResponse

from tests.site.outlets.washpo import ARTICLE_URLS, article_page
from tracker.extracting import ExtractorPool, decoded_body
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
    assert decoded_body(response.body, response.encoding)[0] == response.text


@pytest.mark.parametrize(
    ("body", "utf8"),
    [(BODY, True), (b"\xef\xbb\xbf" + BODY, False), (b"<p>Broken \xff bytes</p>", False)],
    ids=["valid", "bom", "invalid-bytes"],
)
def test_valid_utf8_is_compressed_from_the_body_itself(body: bytes, utf8: bool) -> None:
    text, body_again = decoded_body(body, "utf-8")
    assert text == HtmlResponse(URL, body=body, encoding="utf-8").text
    assert body_again is (body if utf8 else None)
    fields = extract_article(text, URL)
    # The same bytes stored, whichever way they were compressed.
    prepared = prepare_page(fields, text, LIMITS, keep_html=True, html_utf8=body_again)
    assert prepared == prepare_page(fields, text, LIMITS, keep_html=True)


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
        for process in pool.processes:
            process.kill()
            process.join()
        return await pool.extract(BODY, URL, encoding="utf-8"), await pool.extract(BODY, URL, encoding="utf-8")

    try:
        crashed, after = run(scenario())
        assert crashed["paragraphs"] == [] and crashed["looks_like_article"] is True
        assert after["headline"] == "Budget passes"
    finally:
        pool.close()


def hang_on_stuck_urls() -> None:
    """A worker initializer: pages whose URL ends in ``#stuck`` never finish extracting, those
    ending in ``#slow`` take two seconds."""
    import time

    import tracker.extracting

    extract_page = tracker.extracting.extract_page

    def stuck_or_extracted(body: bytes, url: str, *args: object) -> dict:
        while url.endswith("#stuck"):
            time.sleep(1)
        if url.endswith("#slow"):
            time.sleep(2)
        return extract_page(body, url, *args)

    tracker.extracting.extract_page = stuck_or_extracted


def test_a_stuck_page_costs_its_worker_only_and_pages_wait_their_turn() -> None:
    pool = ExtractorPool(workers=2, timeout=60, limits=LIMITS)
    pool.initializer = hang_on_stuck_urls

    async def scenario() -> list[dict]:
        await asyncio.gather(*(pool.extract(BODY, URL, encoding="utf-8") for _ in range(2)))  # both started
        pool.timeout = 3
        pages = [pool.extract(BODY, URL + "#stuck", encoding="utf-8")]
        pages += [pool.extract(BODY, URL, encoding="utf-8") for _ in range(6)]
        return await asyncio.gather(*pages)

    try:
        stuck, *extracted = run(scenario())
        assert stuck["paragraphs"] == [] and stuck["looks_like_article"] is True
        # Six pages through the one worker left, one after the other, all in time.
        assert [fields["headline"] for fields in extracted] == ["Budget passes"] * 6
        assert all(fields["prepared"]["text"].headline == "Budget passes" for fields in extracted)
        assert len(pool.processes) == 1  # the stuck one is gone (another starts when pages wait)
    finally:
        pool.close()
    assert pool.processes == []


def test_time_waiting_behind_another_page_does_not_count_against_a_page() -> None:
    # One worker holds two pages at once (the second waits in its pipe): a page queued behind a
    # slow one, or behind a stuck one that is then given up, still gets its full time.
    pool = ExtractorPool(workers=1, timeout=3, limits=LIMITS)
    pool.initializer = hang_on_stuck_urls

    async def scenario(first: str) -> list[dict]:
        pages = [pool.extract(BODY, URL + first, encoding="utf-8")]
        pages += [pool.extract(BODY, URL + "#slow", encoding="utf-8") for _ in range(2)]
        return await asyncio.gather(*pages)

    try:
        slow = run(scenario("#slow"))  # 2 + 2 + 2 s in all: only the time of its own counts
        assert [fields["headline"] for fields in slow] == ["Budget passes"] * 3
        stuck, *after = run(scenario("#stuck"))
        assert stuck["paragraphs"] == [] and stuck["looks_like_article"] is True
        assert [fields["headline"] for fields in after] == ["Budget passes"] * 2
    finally:
        pool.close()


def test_an_exception_in_a_worker_fails_the_page_not_the_crawl(caplog: pytest.LogCaptureFixture) -> None:
    # Limits that are not Limits make the worker's prepare_page raise, as a bug met on a
    # hostile page would: the page becomes extraction_failed (its check is recorded), the
    # worker stays, and the next page is extracted.
    pool = ExtractorPool(workers=1, timeout=60, limits="not limits")  # type: ignore[arg-type]
    try:
        with caplog.at_level(logging.ERROR, logger="tracker.extracting"):
            failed = run(pool.extract(BODY, URL, encoding="utf-8"))
        assert failed["articleBody"] == "" and failed["looks_like_article"] is True
        assert "recorded as extraction_failed" in caplog.text
        pool.limits = None
        assert run(pool.extract(BODY, URL, encoding="utf-8"))["headline"] == "Budget passes"
    finally:
        pool.close()


def test_an_error_in_extraction_reaches_the_crawl() -> None:
    pool = ExtractorPool(workers=1, timeout=60, limits=LIMITS)
    try:
        with pytest.raises(TypeError):
            run(pool.extract("not bytes", URL, encoding="utf-8"))  # type: ignore[arg-type]
        assert run(pool.extract(BODY, URL, encoding="utf-8"))["headline"] == "Budget passes"
    finally:
        pool.close()
