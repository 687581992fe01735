"""A real MongoDB-wire server for tests: FerretDB 1.24 started per session, or an external one.

The session's FerretDB runs with its ``postgresql`` handler (its main backend, and the
small-deployment option the README documents) on a throw-away PostgreSQL cluster of Debian's
``postgresql`` (:mod:`bench._postgres`: ``initdb`` into a temporary directory, a loopback port),
both started for the session and stopped after it.

Fixtures (re-exported by ``tests/conftest.py``):

* ``mongo_uri`` (session): URI of the server, without a database. ``TRACKER_TEST_MONGO_URI``
  if set, else a FerretDB started for the session.
* ``mongo_db_uri`` (function): ``mongo_uri`` with a fresh, unique database, dropped afterwards.
  Use this as a store URI so that tests never see each other's data.
* ``ferretdb_server`` (session): the session's :class:`FerretDBServer`; skipped when
  ``TRACKER_TEST_MONGO_URI`` names an external server (it cannot be stopped from here).
* ``private_ferretdb`` (function): a FerretDB of the test's own, for tests that stop and
  restart the server (``stop()``, ``kill()``, ``start()``, ``restart()`` keep port and data).
  It keeps its data in a database of its own on the session's PostgreSQL cluster, which stays
  up: killing FerretDB is then what losing the MongoDB-wire proxy is in production.
* ``postgres_cluster`` (session): the PostgreSQL cluster behind them.

With no server to be had, the fixtures fail in CI (``CI=true``) and skip elsewhere, saying why.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from bench._ferretdb import FerretDBServer, FerretDBUnavailable, ensure_ferretdb
from bench._postgres import PostgresCluster

__all__ = [
    "FerretDBServer",
    "ferretdb_server",
    "mongo_db_uri",
    "mongo_uri",
    "postgres_cluster",
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


def _skip_if_external() -> None:
    if external_uri():
        pytest.skip(f"{EXTERNAL_URI_ENV} names an external server, which tests cannot stop")


def _start(data_dir: os.PathLike[str] | str, cluster: PostgresCluster, database: str) -> FerretDBServer:
    """A FerretDB keeping its data in ``database`` (created here) of ``cluster``."""
    try:
        cluster.create_database(database)
        server = FerretDBServer(data_dir, binary=ensure_ferretdb(), postgresql_url=cluster.url(database))
        server.start()
    except FerretDBUnavailable as exc:
        _no_server(str(exc))
        raise  # not reached
    return server


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    _skip_if_external()
    try:
        cluster = PostgresCluster()
        cluster.start()
    except FerretDBUnavailable as exc:
        _no_server(str(exc))
        raise  # not reached
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def ferretdb_server(
    tmp_path_factory: pytest.TempPathFactory, postgres_cluster: PostgresCluster
) -> Iterator[FerretDBServer]:
    _skip_if_external()
    server = _start(tmp_path_factory.mktemp("ferretdb"), postgres_cluster, "ferretdb")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def private_ferretdb(
    tmp_path_factory: pytest.TempPathFactory, postgres_cluster: PostgresCluster
) -> Iterator[FerretDBServer]:
    _skip_if_external()
    database = f"ferretdb_private_{uuid.uuid4().hex[:12]}"
    server = _start(tmp_path_factory.mktemp("ferretdb-private"), postgres_cluster, database)
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
