"""tracker.extracting.ExtractorPool: extraction in worker processes, bounded and crash-proof."""

from __future__ import annotations

import asyncio

from tests.site.outlets.washpo import ARTICLE_URLS, article_page
from tracker.extracting import ExtractorPool
from tracker.extraction import extract_article

URL = ARTICLE_URLS[0]
PAGE = article_page(
    url=URL, headline="Budget passes",
    paragraphs=["The council approved the budget on Tuesday after a long debate about costs."],
)


def run(coroutine):  # type: ignore[no-untyped-def]
    return asyncio.run(coroutine)


def test_workers_give_what_extract_article_gives() -> None:
    for workers in (0, 1):
        pool = ExtractorPool(workers=workers, timeout=60)
        try:
            assert run(pool.extract(PAGE, URL)) == extract_article(PAGE, URL)
        finally:
            pool.close()


def test_a_page_over_the_time_limit_is_given_up_and_the_pool_recovers() -> None:
    pool = ExtractorPool(workers=1, timeout=0.000001)
    try:
        failed = run(pool.extract(PAGE, URL))
        assert failed["paragraphs"] == [] and failed["extractor"] == "none"
        assert failed["looks_like_article"] is True  # recorded as extraction_failed, loudly
        pool.timeout = 60
        assert run(pool.extract(PAGE, URL))["headline"] == "Budget passes"
    finally:
        pool.close()


def test_a_dead_worker_costs_one_page_not_the_crawl() -> None:
    pool = ExtractorPool(workers=1, timeout=60)

    async def scenario() -> tuple[dict, dict]:
        await pool.extract(PAGE, URL)  # starts the worker
        for process in pool._get_pool()._processes.values():  # type: ignore[union-attr]
            process.kill()
            process.join()
        return await pool.extract(PAGE, URL), await pool.extract(PAGE, URL)

    try:
        crashed, after = run(scenario())
        assert crashed["paragraphs"] == [] and crashed["looks_like_article"] is True
        assert after["headline"] == "Budget passes"
    finally:
        pool.close()
