"""A real MongoDB-wire server for tests: FerretDB 1.24 started per session, or an external one.

Fixtures (re-exported by ``tests/conftest.py``):

* ``mongo_uri`` (session): URI of the server, without a database. ``TRACKER_TEST_MONGO_URI``
  if set, else a FerretDB started for the session.
* ``mongo_db_uri`` (function): ``mongo_uri`` with a fresh, unique database, dropped afterwards.
  Use this as a store URI so that tests never see each other's data.
* ``ferretdb_server`` (session): the session's :class:`FerretDBServer`; skipped when
  ``TRACKER_TEST_MONGO_URI`` names an external server (it cannot be stopped from here).
* ``private_ferretdb`` (function): a FerretDB of the test's own, for tests that stop and
  restart the server (``stop()``, ``kill()``, ``start()``, ``restart()`` keep port and data).

With no server to be had, the fixtures fail in CI (``CI=true``) and skip elsewhere, saying why.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from bench._ferretdb import FerretDBServer, FerretDBUnavailable, ensure_ferretdb

__all__ = [
    "FerretDBServer",
    "ferretdb_server",
    "mongo_db_uri",
    "mongo_uri",
    "private_ferretdb",
    "with_database",
]

EXTERNAL_URI_ENV = "TRACKER_TEST_MONGO_URI"


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _no_server(reason: str) -> None:
    if _in_ci():
        pytest.fail(f"no MongoDB server for the tests: {reason}", pytrace=False)
    pytest.skip(f"no MongoDB server: {reason}")


def external_uri() -> str | None:
    return os.environ.get(EXTERNAL_URI_ENV) or None


def with_database(uri: str, name: str) -> str:
    """``uri`` naming database ``name`` instead of its own (credentials keep their authSource)."""
    base, _, query = uri.partition("?")
    scheme, _, rest = base.partition("://")
    hosts, _, old_db = rest.partition("/")
    if "@" in hosts and "authsource=" not in query.lower():
        # The URI's database was also where its user authenticates: keep it so.
        query = "&".join(filter(None, [query, f"authSource={old_db or 'admin'}"]))
    return f"{scheme}://{hosts}/{name}" + (f"?{query}" if query else "")


def _start(data_dir: os.PathLike[str] | str) -> FerretDBServer:
    try:
        server = FerretDBServer(data_dir, binary=ensure_ferretdb())
        server.start()
    except FerretDBUnavailable as exc:
        _no_server(str(exc))
        raise  # not reached
    return server


@pytest.fixture(scope="session")
def ferretdb_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FerretDBServer]:
    if external_uri():
        pytest.skip(f"{EXTERNAL_URI_ENV} names an external server, which tests cannot stop")
    server = _start(tmp_path_factory.mktemp("ferretdb"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def private_ferretdb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FerretDBServer]:
    if external_uri():
        pytest.skip(f"{EXTERNAL_URI_ENV} names an external server, which tests cannot stop")
    server = _start(tmp_path_factory.mktemp("ferretdb-private"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def mongo_uri(request: pytest.FixtureRequest) -> str:
    uri = external_uri()
    if uri is None:
        server: FerretDBServer = request.getfixturevalue("ferretdb_server")
        if not server.running:  # a test stopped the shared server and did not restart it
            server.start()
        return server.uri
    import pymongo

    try:
        with pymongo.MongoClient(uri, serverSelectionTimeoutMS=5000) as client:
            client.admin.command("ping")
    except pymongo.errors.PyMongoError as exc:
        _no_server(f"{EXTERNAL_URI_ENV} does not answer: {str(exc).splitlines()[0][:200]}")
    return uri


@pytest.fixture
def mongo_db_uri(mongo_uri: str) -> Iterator[str]:
    import pymongo

    name = f"tracker_test_{uuid.uuid4().hex[:12]}"
    uri = with_database(mongo_uri, name)
    yield uri
    try:
        with pymongo.MongoClient(uri, serverSelectionTimeoutMS=2000) as client:
            client.drop_database(name)
    except pymongo.errors.PyMongoError:
        pass  # a test that stopped the server: its data dir goes with the tmp dir
