"""The local spool: pages survive a store outage and are written once, in order, when it is back.

Unit tests with a store that can be switched off; the real outage (FerretDB stopped and restarted
during a crawl) is in test_e2e_mongo.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scrapy.utils.test import get_crawler

import tracker.settings
from pipelines.revisions import RevisionPipeline
from spiders.washpo import WashingtonPostSpider
from tracker.normalize import article_id
from tracker.revisions import Recorder
from tracker.spool import Spool, spool_path
from tracker.store import Store, StoreUnavailable, open_store

URL = "https://www.washingtonpost.com/politics/2024/01/05/story/"
BODY = ["The council approved the plan on Tuesday after a long debate about its costs."]


def page(number: int, **fields: Any) -> dict[str, Any]:
    return {
        "url": URL, "outlet": "washpo", "status": 200, "headline": "Plan approved",
        "paragraphs": [f"{BODY[0]} Update number {number}."],
        "fetched_at": f"2024-01-05T10:{number:02d}:00.123456+00:00", **fields,
    }


class SwitchableStore:
    """A real SQLite store that can be made unreachable."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.down = False

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.store, name)
        if callable(attribute) and name not in ("close",):
            def guarded(*args: Any, **kwargs: Any) -> Any:
                if self.down:
                    raise StoreUnavailable("MongoDB unreachable at mongodb://user:***@db:27017/tracker")
                return attribute(*args, **kwargs)
            return guarded
        return attribute


def test_spool_keeps_order_and_survives_reopening(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool.sqlite3")
    for number in range(3):
        spool.append({"n": number, "text": "é ✓ 中文"})
    spool.close()
    reopened = Spool(tmp_path / "spool.sqlite3")
    assert len(reopened) == 3
    seen: list[int] = []

    def fail_on_second(item: dict) -> None:
        if item["n"] == 1 and not seen.count(1):
            seen.append(1)
            raise StoreUnavailable("down")
        seen.append(item["n"])

    assert reopened.drain(fail_on_second, stop_on=StoreUnavailable) == 1
    assert len(reopened) == 2
    assert reopened.drain(fail_on_second, stop_on=StoreUnavailable) == 2
    assert seen == [0, 1, 1, 2] and len(reopened) == 0


def test_spool_files_are_per_store(tmp_path: Path) -> None:
    one = spool_path(tmp_path, "mongodb://a:secret@db1/tracker")
    assert one != spool_path(tmp_path, "mongodb://db2/tracker")
    assert "secret" not in str(one)


def test_replaying_a_recorded_page_records_nothing(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path}/t.sqlite3") as store:
        recorder = Recorder(store)
        assert recorder.record(page(1)).outcome == "new"
        assert recorder.record(page(1), replay=True).outcome == "duplicate"
        assert store.count("checks") == 1 and store.count("versions") == 1


@pytest.fixture
def pipeline(tmp_path: Path) -> tuple[RevisionPipeline, SwitchableStore]:
    settings = {
        name: getattr(tracker.settings, name) for name in dir(tracker.settings) if name.isupper()
    }
    settings.pop("DOWNLOAD_HANDLERS")
    settings.update(TRACKER_STORE=f"sqlite:///{tmp_path}/t.sqlite3", TRACKER_SPOOL_DIR=str(tmp_path / "spool"), TRACKER_SPOOL_RETRY=0)
    crawler = get_crawler(WashingtonPostSpider, settings)
    switchable = SwitchableStore(open_store(settings["TRACKER_STORE"]))
    crawler._tracker_store = switchable  # what tracker.crawlstore.store_for hands out
    crawler.stats.open_spider()
    pipeline = RevisionPipeline.from_crawler(crawler)
    pipeline.open_spider()
    return pipeline, switchable


def test_outage_spools_then_writes_everything_once_in_order(pipeline: tuple[RevisionPipeline, SwitchableStore]) -> None:
    pipe, store = pipeline
    assert pipe._record_or_spool(page(1)).outcome == "new"
    store.down = True
    assert pipe._record_or_spool(page(2)) is None
    assert pipe._record_or_spool(page(3)) is None
    assert len(pipe.spool) == 2
    store.down = False
    # The next page first writes the spooled ones, in order, then itself.
    assert pipe._record_or_spool(page(4)).outcome == "changed"
    assert len(pipe.spool) == 0
    versions = store.store.list_versions(article_id(URL))
    assert [v["version"] for v in versions] == [1, 2, 3, 4]
    texts = [store.store.get_version(article_id(URL), n)["paragraphs"][0] for n in (2, 3, 4)]
    assert [text.rsplit(" ", 1)[-1] for text in texts] == ["2.", "3.", "4."]
    stats = pipe.stats.get_stats()
    assert stats["tracker/spool/queued"] == 2 and stats["tracker/spool/replayed"] == 2


def test_pages_left_spooled_at_the_end_are_written_by_the_next_run(pipeline: tuple[RevisionPipeline, SwitchableStore], tmp_path: Path) -> None:
    pipe, store = pipeline
    store.down = True
    pipe._record_or_spool(page(1))
    pipe.close_spider()
    assert pipe.stats.get_value("tracker/spool/left") == 1
    store.down = False
    pipe.open_spider()  # the next run
    assert len(pipe.spool) == 0
    assert store.store.count("versions") == 1
    pipe.close_spider()
    assert not pipe.spool_file.exists()  # an empty spool leaves nothing behind
