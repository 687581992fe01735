"""``tracker export``: the archive as Parquet, JSONL and CSV tables, checked against the store.

The round trip runs on both stores after real crawls of the fixture site (first sight, an
edit, a re-check): every table is read back with pyarrow / json / csv and compared, field by
field, with what the store returns through its ordinary reads.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import tracker.export.parallel as parallel
from bench.diff import article as synthetic_article
from bench.diff import change_words
from tests.crawling import PROJECT_ROOT, run_crawl
from tests.mongo_server import with_database
from tests.site import FixtureSite
from tests.site.outlets import washpo
from tracker.cli import main as tracker_main
from tracker.export.schema import json_text, table_columns
from tracker.export.writers import open_writer
from tracker.normalize import article_id
from tracker.sentences import OPERATIONS, match_sentences, pair_counts, split_version
from tracker.store import Store, open_store
from tracker.store.base import as_utc

UTC = dt.timezone.utc
TABLES = ("articles", "versions", "sentences", "sentence_matches", "version_pairs", "checks")
FORMATS = ("parquet", "jsonl", "csv")
ALWAYS_DUE = {"TRACKER_SCHEDULE_TIERS": "40d:0s"}
URLS = list(washpo.ARTICLE_URLS)


# --- the crawled archives ------------------------------------------------------------------------


def story(number: int, round_: int) -> tuple[str, list[str]]:
    """Headline and paragraphs of article ``number`` as served in crawl ``round_`` (0, 1, 2)."""
    paragraphs = [
        f"Story {number}: the council approved the budget on Tuesday after a long debate about costs.",
        "Officials said five people were detained outside the building during the protest.",
        "The mayor thanked the staff. She said the next vote would come in the spring.",
    ]
    headline = f"Council approves budget {number}"
    if round_ >= 1 and number == 0:  # a one-word edit and a new headline
        paragraphs[1] = paragraphs[1].replace("five", "six")
        headline += ", six detained"
    if round_ >= 1 and number == 1:  # a new paragraph
        paragraphs.append("Opponents of the plan said they would take the matter to court next month.")
    if round_ >= 2 and number == 1:  # a paragraph block reordered
        paragraphs = [paragraphs[0], paragraphs[3], paragraphs[1], paragraphs[2]]
    return headline, paragraphs


def crawl_rounds(store_uri: str) -> None:
    with FixtureSite() as site:
        for path, (content, content_type) in washpo.discovery_pages(washpo.ARTICLE_URLS).items():
            site.set_page(path, content, content_type=content_type)
        host_map = {host: site.base_url for host in washpo.HOSTS}
        for round_ in range(3):
            for number, url in enumerate(URLS):
                headline, paragraphs = story(number, round_)
                site.set_page(urlsplit(url).path, washpo.article_page(url=url, headline=headline, paragraphs=paragraphs))
            run_crawl("washpo", host_map=host_map, store_uri=store_uri, settings=ALWAYS_DUE)


@pytest.fixture(scope="module", params=["sqlite", "mongo"])
def crawled(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A store URI holding three real crawls of the fixture site."""
    if request.param == "sqlite":
        uri = f"sqlite:///{tmp_path_factory.mktemp('crawled')}/tracker.sqlite3"
    else:
        name = f"tracker_export_{uuid.uuid4().hex[:12]}"
        uri = with_database(request.getfixturevalue("mongo_uri"), name)
    crawl_rounds(uri)
    yield uri
    if request.param == "mongo":
        import pymongo

        with pymongo.MongoClient(uri, serverSelectionTimeoutMS=2000) as client:
            client.drop_database(name)


# --- running the export and reading it back --------------------------------------------------------


def export(store_uri: str, out: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``tracker export`` as a user runs it, in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "tracker", "export", "--store", store_uri, "--out", str(out), *args],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300, env=env,
    )


def exported(store_uri: str, out: Path, *args: str) -> dict[str, list[dict[str, Any]]]:
    result = export(store_uri, out, *args)
    assert result.returncode == 0, result.stderr
    return read_export(out)


def read_export(directory: Path) -> dict[str, list[dict[str, Any]]]:
    """Every table of an export as Python values, typed by the manifest; checks the manifest."""
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    tables = {}
    for table, entry in manifest["tables"].items():
        path = directory / entry["file"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"], table
        assert path.stat().st_size == entry["bytes"]
        rows = read_table(path, manifest["format"], entry["columns"])
        assert len(rows) == entry["rows"], table
        assert all(list(row) == list(entry["columns"]) for row in rows), table
        tables[table] = rows
    assert list(tables) == list(TABLES)
    return tables


def read_table(path: Path, file_format: str, columns: dict[str, str]) -> list[dict[str, Any]]:
    if file_format == "parquet":
        table = pq.read_table(path)
        assert list(table.schema.names) == list(columns)
        return table.to_pylist()
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:  # type: ignore[operator]
        if file_format == "jsonl":
            return [typed_jsonl(json.loads(line), columns) for line in handle]
        csv.field_size_limit(2**31 - 1)  # a field may be a 1 MB paragraph (as docs/DATA.md says)
        reader = csv.reader(handle)
        assert next(reader) == list(columns)
        return [typed_csv(dict(zip(columns, values, strict=True)), columns) for values in reader]


def typed_jsonl(row: dict[str, Any], columns: dict[str, str]) -> dict[str, Any]:
    assert list(row) == list(columns)
    return {name: as_utc(row[name]) if kind == "timestamp" else row[name] for name, kind in columns.items()}


def typed_csv(row: dict[str, str], columns: dict[str, str]) -> dict[str, Any]:
    parse = {
        "int64": int, "float64": float, "bool": lambda text: {"true": True, "false": False}[text],
        "timestamp": as_utc, "list<string>": json.loads,
    }
    return {name: (parse[kind](row[name]) if kind in parse else row[name]) if row[name] != "" else None
            for name, kind in columns.items()}


# --- what the store says the tables must hold ------------------------------------------------------


def csv_view(value: Any) -> Any:
    """CSV cannot tell an empty string from a missing value: both are an empty field."""
    return None if value == "" else value


def expected_tables(store: Store, file_format: str, include_html: bool = False) -> dict[str, list[dict[str, Any]]]:
    """The export's rows, built from the store's ordinary reads (get_article, get_version, list_checks)."""
    columns = table_columns(include_html)
    ids = sorted(a["article_id"] for a in store.iter_articles(states=("active", "retired", "gone")))
    tables: dict[str, list[dict[str, Any]]] = {table: [] for table in TABLES}
    for aid in ids:
        tables["articles"].append(store.get_article(aid))  # type: ignore[arg-type]
        versions = [store.get_version(aid, listed["version"]) for listed in store.list_versions(aid)]
        previous = None
        for version in versions:
            assert version is not None
            sentences = split_version(version["paragraphs"])
            tables["versions"].append({**version, "text": "\n\n".join(version["paragraphs"])})
            tables["sentences"] += [
                {"article_id": aid, "version": version["version"], "paragraph_index": s.paragraph_index,
                 "sentence_index": s.sentence_index, "sentence": s.text} for s in sentences
            ]
            if previous is not None:
                old, old_sentences = previous
                matches = match_sentences(old_sentences, sentences)
                tables["sentence_matches"] += [
                    {"article_id": aid, "version_old": old["version"], "version_new": version["version"],
                     "sentence_index_old": m.index_old, "sentence_index_new": m.index_new,
                     "operation": m.operation, "similarity": m.similarity} for m in matches
                ]
                stats = version["diff_stats"] or {}
                tables["version_pairs"].append({
                    "article_id": aid, "version_old": old["version"], "version_new": version["version"],
                    "fetched_at_old": old["fetched_at"], "fetched_at_new": version["fetched_at"],
                    "seconds_between": (version["fetched_at"] - old["fetched_at"]).total_seconds(),
                    "headline_changed": old["headline"] != version["headline"],
                    **{f"sentences_{op}": n for op, n in pair_counts(matches).items()},
                    **{name: stats.get(name) for name in ("paragraphs_added", "paragraphs_removed",
                                                          "paragraphs_changed", "words_added", "words_removed")},
                })
            previous = (version, sentences)
        tables["checks"] += list(reversed(store.list_checks(aid)))
    return {table: [project(row, columns[table], file_format) for row in rows] for table, rows in tables.items()}


def project(row: dict[str, Any], columns: dict[str, str], file_format: str) -> dict[str, Any]:
    out = {}
    for name, kind in columns.items():
        value = row.get(name)
        if kind == "json" and value is not None:
            value = json_text(value)
        out[name] = csv_view(value) if file_format == "csv" and kind in ("string", "json") else value
    return out


# --- round trip ----------------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", FORMATS)
def test_every_table_round_trips_against_the_store(crawled: str, tmp_path: Path, file_format: str) -> None:
    tables = exported(crawled, tmp_path / "out", "--format", file_format)
    with open_store(crawled) as store:
        expected = expected_tables(store, file_format)
        assert store.count("versions") == 6 and store.count("articles") == 3
    for table in TABLES:
        assert tables[table] == expected[table], table


def test_the_crawled_changes_are_labelled(crawled: str, tmp_path: Path) -> None:
    tables = exported(crawled, tmp_path / "out")
    edited, added, _unchanged = (article_id(url) for url in URLS)
    pairs = {(p["article_id"], p["version_new"]): p for p in tables["version_pairs"]}
    assert set(pairs) == {(edited, 2), (added, 2), (added, 3)}  # the third story never changed

    def operations(aid: str, new: int) -> list[str]:
        return sorted(m["operation"] for m in tables["sentence_matches"]
                      if m["article_id"] == aid and m["version_new"] == new and m["operation"] != "unchanged")

    assert operations(edited, 2) == ["edited"]
    assert pairs[edited, 2]["headline_changed"] and pairs[edited, 2]["words_added"] == 1
    assert operations(added, 2) == ["added"] and not pairs[added, 2]["headline_changed"]
    assert pairs[added, 2]["paragraphs_added"] == 1
    assert set(operations(added, 3)) == {"moved"}
    assert all(p["seconds_between"] > 0 for p in pairs.values())
    # Every sentence of either side appears in sentence_matches.
    for aid, new in pairs:
        rows = [m for m in tables["sentence_matches"] if m["article_id"] == aid and m["version_new"] == new]
        for side, number in (("old", new - 1), ("new", new)):
            indexes = {s["sentence_index"] for s in tables["sentences"] if s["article_id"] == aid and s["version"] == number}
            assert {m[f"sentence_index_{side}"] for m in rows} - {None} == indexes
    # The version text and the checks' observation log.
    first = next(v for v in tables["versions"] if v["article_id"] == edited and v["version"] == 1)
    assert first["text"] == "\n\n".join(story(0, 0)[1]) and first["paragraphs"] == story(0, 0)[1]
    assert [c["outcome"] for c in tables["checks"] if c["article_id"] == edited] == ["new", "changed", "not_modified"]


def test_export_is_reproducible(crawled: str, tmp_path: Path) -> None:
    for args in (("--format", "jsonl"), ("--format", "csv"), ("--format", "csv", "--compress")):
        first, second = tmp_path / f"a{len(args)}{args[1]}", tmp_path / f"b{len(args)}{args[1]}"
        for out in (first, second):
            assert export(crawled, out, *args).returncode == 0
        names = sorted(path.name for path in first.iterdir())
        assert names == sorted(path.name for path in second.iterdir())
        for name in names:
            if name != "manifest.json":
                assert (first / name).read_bytes() == (second / name).read_bytes(), name
        manifests = [json.loads((out / "manifest.json").read_text()) for out in (first, second)]
        for manifest in manifests:
            manifest.pop("created_at")  # the one thing that differs
        assert manifests[0] == manifests[1]
    first, second = tmp_path / "p1", tmp_path / "p2"
    for out in (first, second):
        assert export(crawled, out).returncode == 0
    for table in TABLES:
        assert pq.read_table(first / f"{table}.parquet").equals(pq.read_table(second / f"{table}.parquet"))


def test_researchers_tools_load_the_parquet_tables_directly(crawled: str, tmp_path: Path) -> None:
    import duckdb
    import pandas as pd
    import polars as pl

    out = tmp_path / "out"
    tables = exported(crawled, out)
    for table in TABLES:
        path = out / f"{table}.parquet"
        assert len(pd.read_parquet(path)) == len(pl.read_parquet(path)) == len(tables[table])
    versions = pd.read_parquet(out / "versions.parquet")
    assert str(versions["fetched_at"].dtype) == "datetime64[us, UTC]"
    assert list(versions["paragraphs"].iloc[0]) == tables["versions"][0]["paragraphs"]
    assert pl.read_parquet(out / "checks.parquet").schema["at"] == pl.Datetime("us", "UTC")
    schema = pq.read_schema(out / "version_pairs.parquet")
    assert schema.field("fetched_at_new").type == pa.timestamp("us", tz="UTC")
    assert schema.field("sentences_edited").type == pa.int64()
    assert duckdb.sql(f"SELECT count(*) FROM '{out}/sentences.parquet'").fetchall()[0][0] == len(tables["sentences"])


def test_the_duckdb_example_of_the_data_dictionary(crawled: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import duckdb

    text = (PROJECT_ROOT / "docs" / "DATA.md").read_text(encoding="utf-8")
    query = re.search(r"<!-- duckdb example -->\s*```sql\n(.*?)```", text, re.S)
    assert query, "docs/DATA.md has no DuckDB example"
    assert export(crawled, tmp_path / "exports").returncode == 0
    monkeypatch.chdir(tmp_path)  # the example reads exports/*.parquet
    rows = duckdb.sql(query.group(1)).fetchall()
    assert [row[0] for row in rows] == ["washpo"]
    _, articles, sentences_changed, hours = rows[0]
    pairs = read_export(tmp_path / "exports")["version_pairs"]
    changed = sum(p[f"sentences_{op}"] for p in pairs for op in OPERATIONS if op != "unchanged")
    assert articles == 2 and sentences_changed == changed >= 3  # an edit, an addition, a move
    assert 0 <= hours < 1  # the test's crawls follow each other within minutes


# --- filters ---------------------------------------------------------------------------------------


T0 = dt.datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def save_article(store: Store, url: str, outlet: str, bodies: list[list[str]], *, start: dt.datetime = T0) -> str:
    aid = article_id(url)
    for number, paragraphs in enumerate(bodies):
        at = start + dt.timedelta(days=number)
        store.save_version(
            {"article_id": aid, "url": url, "outlet": outlet, "last_checked_at": at},
            {"fetched_at": at, "url": url, "outlet": outlet, "headline": f"Headline {number}",
             "paragraphs": paragraphs, "word_count": sum(len(p.split()) for p in paragraphs)},
            {"at": at, "url": url, "status": 200, "outcome": "changed" if number else "new"},
            expected_count=number,
        )
    return aid


@pytest.fixture
def small_store(tmp_path: Path) -> Iterator[str]:
    """Three outlets' articles with one to three versions, a day apart."""
    uri = f"sqlite:///{tmp_path}/small.sqlite3"
    bodies = [["First sentence. Second one."], ["First sentence. Second one, edited."], ["A new start."]]
    with open_store(uri) as store:
        for n in range(6):
            save_article(store, f"https://news.example/story-{n}", ("alpha", "beta", "gamma")[n % 3], bodies[: n % 3 + 1])
    yield uri


def ids(rows: list[dict[str, Any]]) -> list[str]:
    return sorted({row["article_id"] for row in rows})


def run_cli(*args: str) -> int:
    return tracker_main(["export", *args])


def test_filters(small_store: str, tmp_path: Path) -> None:
    def tables(*args: str) -> dict[str, list[dict[str, Any]]]:
        out = tmp_path / uuid.uuid4().hex
        assert run_cli("--store", small_store, "--out", str(out), "--format", "jsonl", *args) == 0
        return read_export(out)

    everything = tables()
    assert len(everything["articles"]) == 6 and len(everything["versions"]) == 12
    by_outlet = {a["article_id"]: a["outlet"] for a in everything["articles"]}

    picked = tables("--outlet", "alpha,gamma")
    assert {by_outlet[aid] for aid in ids(picked["articles"])} == {"alpha", "gamma"}
    assert all(ids(picked[t]) == ids(picked["articles"]) for t in ("versions", "checks", "sentences"))
    assert ids(tables("--outlet", "alpha", "--outlet", "gamma")["versions"]) == ids(picked["versions"])

    two_plus = tables("--min-versions", "2")
    assert {by_outlet[aid] for aid in ids(two_plus["articles"])} == {"beta", "gamma"}

    # Version time: the second day only. Pairs need both of their versions in the window.
    day_two = tables("--since", "2024-03-02", "--until", "2024-03-03T00:00:00Z")
    assert {v["version"] for v in day_two["versions"]} == {2} and len(day_two["versions"]) == 4
    assert {c["at"].date() for c in day_two["checks"]} == {dt.date(2024, 3, 2)}
    assert day_two["version_pairs"] == [] and day_two["sentence_matches"] == []
    assert len(tables("--since", "2024-03-02")["version_pairs"]) == 2  # 2 -> 3 of both gamma articles
    assert len(tables("--until", "2024-03-02")["version_pairs"]) == 0

    # Any URL variant of an article names it.
    one = tables("--article", "http://NEWS.example/story-2?utm_source=x#top", "--article", "https://news.example/story-4")
    assert ids(one["articles"]) == sorted({article_id("https://news.example/story-2"), article_id("https://news.example/story-4")})
    assert ids(tables("--article", "https://news.example/story-2", "--outlet", "alpha")["articles"]) == []


def test_include_html_adds_the_decoded_pages(tmp_path: Path) -> None:
    uri = f"sqlite:///{tmp_path}/html.sqlite3"
    from tracker.store.base import compress_html

    page = "<html><body><p>Le café, naïve.</p></body></html>"
    data, encoding = compress_html(page)
    with open_store(uri) as store:
        store.save_version(
            {"article_id": "a1", "url": "https://x.example/a1", "last_checked_at": T0},
            {"fetched_at": T0, "paragraphs": ["Le café, naïve."], "html": data, "html_encoding": encoding},
            {"at": T0, "outcome": "new"}, expected_count=0,
        )
    assert "html" not in exported(uri, tmp_path / "plain")["versions"][0]
    assert exported(uri, tmp_path / "html", "--include-html")["versions"][0]["html"] == page


# --- worker processes ------------------------------------------------------------------------------


@pytest.fixture
def edited_store(tmp_path: Path) -> str:
    """40 articles of one to four versions with edits, inserted and dropped paragraphs."""
    import random

    rng = random.Random(7)
    uri = f"sqlite:///{tmp_path}/edited.sqlite3"
    with open_store(uri) as store:
        for n in range(40):
            bodies = [synthetic_article(rng, rng.randint(25, 200), 25)]
            for _ in range(n % 4):
                body = [change_words(text, [rng.randrange(10)], rng) if rng.random() < 0.4 else text
                        for text in bodies[-1]]
                if rng.random() < 0.5:
                    body.insert(rng.randrange(len(body) + 1), synthetic_article(rng, 15, 15)[0])
                if len(body) > 1 and rng.random() < 0.3:
                    del body[rng.randrange(len(body))]
                bodies.append(body)
            save_article(store, f"https://news.example/edited-{n}", "alpha", bodies)
    return uri


@pytest.mark.parametrize("args", [("--format", "jsonl"), ("--format", "csv", "--compress"), ("--format", "parquet")])
def test_workers_write_the_same_files_as_one_process(
    edited_store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...],
) -> None:
    # Batches of about two versions: many batches, finishing out of order over two workers.
    monkeypatch.setattr(parallel, "BATCH_VERSIONS", 2)
    one, two = tmp_path / "one", tmp_path / "two"
    assert run_cli("--store", edited_store, "--out", str(one), "--workers", "1", *args) == 0
    assert run_cli("--store", edited_store, "--out", str(two), "--workers", "2", *args) == 0
    manifests = [json.loads((out / "manifest.json").read_text()) for out in (one, two)]
    for manifest in manifests:
        manifest.pop("created_at")
    assert manifests[0] == manifests[1]
    assert manifests[0]["tables"]["sentence_matches"]["rows"] > 500
    for table, entry in manifests[0]["tables"].items():
        if args[1] == "parquet":  # row for row (the files' metadata may differ)
            assert pq.read_table(one / entry["file"]).to_pylist() == pq.read_table(two / entry["file"]).to_pylist(), table
        else:  # byte for byte
            assert (one / entry["file"]).read_bytes() == (two / entry["file"]).read_bytes(), table


def test_an_article_filtered_out_keeps_its_place_among_the_batches(edited_store: str, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "BATCH_VERSIONS", 3)
    outs = {workers: tmp_path / f"w{workers}" for workers in (1, 2)}
    for workers, out in outs.items():
        assert run_cli("--store", edited_store, "--out", str(out), "--format", "jsonl", "--min-versions", "3",
                       "--workers", str(workers)) == 0
    tables = {workers: read_export(out) for workers, out in outs.items()}
    assert tables[1] == tables[2] and len(tables[1]["articles"]) == 20


def test_workers_count_is_checked(small_store: str, tmp_path: Path) -> None:
    result = export(small_store, tmp_path / "out", "--workers", "0")
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "must be 1 or more" in result.stderr


# --- hostile text ----------------------------------------------------------------------------------


HOSTILE = [
    "NUL \x00 inside, and a bell \x07.",
    "Quotes \"like this\", commas, and; semicolons.",
    "Line one\nline two\r\nline three\rend.",
    "\u202eRTL override\u202c and \u200fmarks\u200e: \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627.",
    "Emoji \U0001f600 and combining e\u0301 and a no-break\u00a0space.",
    "x" * 1_000_000,
]


# What the stores keep of them: a NUL becomes U+FFFD in both (docs/DATA.md), since FerretDB on
# PostgreSQL (jsonb) cannot hold U+0000.
HOSTILE_STORED = [paragraph.replace("\x00", "\ufffd") for paragraph in HOSTILE]


@pytest.fixture(params=["sqlite", "mongo"])
def hostile_store(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, list[str]]:
    """A store holding the hostile paragraphs, and those paragraphs as it keeps them."""
    if request.param == "sqlite":
        uri = f"sqlite:///{tmp_path}/hostile.sqlite3"
    else:
        uri = request.getfixturevalue("mongo_db_uri")
    with open_store(uri) as store:
        save_article(store, "https://news.example/hostile", "alpha", [HOSTILE[:3], HOSTILE])
    return uri, HOSTILE_STORED


@pytest.mark.parametrize("args", [("--format", "parquet"), ("--format", "jsonl"), ("--format", "csv"),
                                  ("--format", "csv", "--compress")])
def test_hostile_text_round_trips_exactly(hostile_store: tuple[str, list[str]], tmp_path: Path, args: tuple[str, ...]) -> None:
    uri, paragraphs = hostile_store
    tables = exported(uri, tmp_path / "out", *args)
    assert [v["paragraphs"] for v in tables["versions"]] == [paragraphs[:3], paragraphs]
    assert tables["versions"][1]["text"] == "\n\n".join(paragraphs)
    sentences = [s["sentence"] for s in tables["sentences"] if s["version"] == 2]
    assert sentences == [s.text for s in split_version(paragraphs)]
    assert {m["operation"] for m in tables["sentence_matches"]} <= set(OPERATIONS)


@pytest.mark.parametrize("file_format", FORMATS)
def test_a_lone_surrogate_is_written_as_the_replacement_character(tmp_path: Path, file_format: str) -> None:
    # Neither store can hold one (both are UTF-8); the writers still never fail on it.
    columns = {"sentence": "string", "paragraphs": "list<string>"}
    writer = open_writer(tmp_path, "t", columns, file_format)
    writer.write([{"sentence": "a\ud800b", "paragraphs": ["\udfffc"]}])
    writer.close()
    writer.commit()
    [row] = read_table(writer.path, file_format, columns)
    assert row == {"sentence": "a\ufffdb", "paragraphs": ["\ufffdc"]}


# --- interruption ----------------------------------------------------------------------------------


def visible(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir() if not path.name.startswith("."))


def start_paused_export(store_uri: str, out: Path, *args: str) -> subprocess.Popen[str]:
    """An export that stops after two articles, buffers on disk, until it is killed."""
    env = {**os.environ, "TRACKER_EXPORT_TEST_PAUSE_AFTER": "2"}
    process = subprocess.Popen(
        [sys.executable, "-m", "tracker", "export", "--store", store_uri, "--out", str(out), *args],
        cwd=PROJECT_ROOT, env=env, stderr=subprocess.PIPE, text=True,
    )
    assert process.stderr is not None
    assert process.stderr.readline() == "export paused\n"
    return process


def children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def running(pid: int) -> bool:
    """Alive and not a zombie."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.parametrize("file_format", FORMATS)
def test_a_killed_export_leaves_no_table_that_looks_complete(small_store: str, tmp_path: Path, file_format: str) -> None:
    out = tmp_path / "out"
    process = start_paused_export(small_store, out, "--format", file_format, "--workers", "2")
    partial = sorted(path.name for path in out.iterdir())
    assert f".versions.{file_format}.partial" in partial and (out / f".versions.{file_format}.partial").stat().st_size > 0
    workers = children(process.pid)
    assert len(workers) >= 2  # the sentence workers (and multiprocessing's resource tracker)
    process.kill()
    process.wait(timeout=30)
    assert visible(out) == []
    # The workers notice that the export is gone and stop too.
    deadline = time.monotonic() + 30
    while any(running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(running(pid) for pid in workers)
    # A re-run over what is left: refused without --overwrite, then done with it.
    assert export(small_store, out, "--format", file_format).returncode == 1
    tables = exported(small_store, out, "--format", file_format, "--overwrite")
    assert len(tables["articles"]) == 6
    assert sorted(path.name for path in out.iterdir()) == visible(out)  # no partial files left


def test_ctrl_c_stops_cleanly_and_keeps_no_stale_export(small_store: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert export(small_store, out).returncode == 0
    process = start_paused_export(small_store, out, "--overwrite", "--workers", "2")
    assert visible(out) == []  # the former export went first, its manifest before all
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert stderr.count("\n") == 1 and stderr.startswith("tracker: export interrupted"), stderr
    assert list(out.iterdir()) == []


# --- command-line errors ----------------------------------------------------------------------------


def test_command_line_errors_are_one_line(small_store: str, tmp_path: Path) -> None:
    full = tmp_path / "full"
    full.mkdir()
    (full / "notes.txt").write_text("mine")
    cases = [
        (("--store", small_store, "--out", str(full)), 1, "is not empty (use --overwrite"),
        (("--store", small_store, "--out", str(tmp_path / "x"), "--format", "xml"), 2, "invalid choice: 'xml'"),
        (("--store", f"sqlite:///{tmp_path}/missing.sqlite3", "--out", str(tmp_path / "y")), 1, "no store at"),
        (("--store", small_store, "--out", str(tmp_path / "z"), "--compress"), 2, "--compress applies to jsonl and csv"),
        (("--store", small_store, "--out", str(tmp_path / "z"), "--since", "yesterday"), 2, "not an ISO 8601"),
        (("--store", small_store, "--out", str(tmp_path / "z"), "--min-versions", "-1"), 2, "must be 0 or more"),
        (("--store", small_store), 2, "the following arguments are required: --out"),
    ]
    for args, status, message in cases:
        result = subprocess.run([sys.executable, "-m", "tracker", "export", *args], cwd=PROJECT_ROOT,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == status, (args, result.stderr)
        assert result.stderr.count("\n") == 1 and message in result.stderr, (args, result.stderr)
    # --overwrite replaces only what an export writes.
    assert run_cli("--store", small_store, "--out", str(full), "--overwrite", "--format", "csv") == 0
    assert (full / "notes.txt").read_text() == "mine" and (full / "manifest.json").is_file()


def test_a_progress_bar_on_a_terminal_and_silence_elsewhere(small_store: str, tmp_path: Path) -> None:
    import fcntl
    import pty
    import struct
    import termios

    quiet = export(small_store, tmp_path / "quiet")
    assert quiet.returncode == 0 and quiet.stderr == ""
    terminal, child_side = pty.openpty()
    fcntl.ioctl(child_side, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "tracker", "export", "--store", small_store, "--out", str(tmp_path / "tty")],
        cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=child_side,
    )
    os.close(child_side)
    shown = b""
    while True:
        try:
            chunk = os.read(terminal, 4096)
        except OSError:  # the child closed its side
            break
        if not chunk:
            break
        shown += chunk
    assert process.wait(timeout=60) == 0
    os.close(terminal)
    assert b"6/6" in shown and b"articles/s" in shown
