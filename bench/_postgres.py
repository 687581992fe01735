"""A throw-away PostgreSQL cluster on a loopback port, for FerretDB's ``postgresql`` handler.

Debian's ``postgresql`` package provides the binaries in ``/usr/lib/postgresql/<version>/bin``
(not on ``PATH``). PostgreSQL refuses to run as root, so when we are root, ``initdb`` and
``pg_ctl`` run as the ``postgres`` user the package creates (``runuser``), on a data directory
that user owns. The cluster is tuned for tests and benchmarks, not for keeping data: no fsync,
no synchronous commit, no full-page writes.

Shared by the benchmarks and the test fixtures, like :mod:`bench._ferretdb`.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Self

from bench._ferretdb import FerretDBUnavailable, free_port

POSTGRES_ROOT = Path("/usr/lib/postgresql")
SUPERUSER = "postgres"
# Durability is not wanted from a cluster that is deleted afterwards; speed is.
FAST_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
}


def postgres_bin_dir() -> Path:
    """The newest ``/usr/lib/postgresql/<version>/bin`` that has ``initdb`` and ``pg_ctl``."""
    explicit = os.environ.get("TRACKER_POSTGRES_BIN")
    candidates = [Path(explicit)] if explicit else sorted(
        POSTGRES_ROOT.glob("*/bin"), key=lambda path: _version_key(path.parent.name), reverse=True
    )
    for candidate in candidates:
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            return candidate
    raise FerretDBUnavailable(
        "PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin): "
        "apt-get install postgresql, or set TRACKER_POSTGRES_BIN"
    )


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", name)) or (0,)


class PostgresCluster:
    """One PostgreSQL server on 127.0.0.1 with its data and unix socket in a temporary directory.

    ``start()`` creates the cluster (``initdb``) the first time; ``stop()`` stops the server and
    deletes the directory.
    """

    def __init__(self, *, port: int | None = None, bin_dir: Path | None = None) -> None:
        self.bin_dir = bin_dir or postgres_bin_dir()
        self.port = port or free_port()
        self.base_dir: Path | None = None
        self._as_user = SUPERUSER if os.geteuid() == 0 else None

    @property
    def data_dir(self) -> Path:
        assert self.base_dir is not None, "start() first"
        return self.base_dir / "data"

    def url(self, database: str) -> str:
        """``postgres://`` URL of ``database`` (trust authentication on loopback: no password)."""
        return f"postgres://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        if self.base_dir is not None:
            return
        # Not under pytest's tmp dirs: those are 0700 root, which the postgres user cannot enter.
        self.base_dir = Path(tempfile.mkdtemp(prefix="tracker-pg-"))
        if self._as_user:
            account = pwd.getpwnam(self._as_user)
            os.chown(self.base_dir, account.pw_uid, account.pw_gid)
        try:
            self._run("initdb", "--pgdata", str(self.data_dir), "--username", SUPERUSER,
                      "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync")
            options = " ".join(
                [f"-p {self.port}", "-c listen_addresses=127.0.0.1", f"-k {self.base_dir}"]
                + [f"-c {name}={value}" for name, value in FAST_SETTINGS.items()]
            )
            self._run("pg_ctl", "start", "--wait", "--timeout=60", "--pgdata", str(self.data_dir),
                      "--log", str(self.base_dir / "postgres.log"), "-o", options)
        except FerretDBUnavailable:
            self.stop()
            raise

    def create_database(self, name: str) -> None:
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
            raise ValueError(f"not a plain database name: {name!r}")
        self._run("psql", "--host", "127.0.0.1", "--port", str(self.port), "--username", SUPERUSER,
                  "--dbname", "postgres", "--quiet", "--no-psqlrc", "--command", f"CREATE DATABASE {name}")

    def stop(self) -> None:
        base_dir, self.base_dir = self.base_dir, None
        if base_dir is None:
            return
        if (base_dir / "data" / "postmaster.pid").exists():
            self.base_dir = base_dir
            with contextlib.suppress(FerretDBUnavailable):
                self._run("pg_ctl", "stop", "--wait", "--mode=immediate", "--pgdata", str(self.data_dir))
            self.base_dir = None
        shutil.rmtree(base_dir, ignore_errors=True)

    def _run(self, program: str, *arguments: str) -> None:
        command = [str(self.bin_dir / program), *arguments]
        if self._as_user:
            command = ["runuser", "-u", self._as_user, "--", *command]
        try:
            subprocess.run(command, capture_output=True, text=True, timeout=120, check=True,
                           cwd=self.base_dir, stdin=subprocess.DEVNULL)
        except subprocess.CalledProcessError as exc:
            tail = (exc.stderr or exc.stdout or "").strip().splitlines()[-2:]
            raise FerretDBUnavailable(f"PostgreSQL {program} failed: {' / '.join(tail) or exc}") from exc
        except (OSError, subprocess.SubprocessError) as exc:
            raise FerretDBUnavailable(f"PostgreSQL {program} failed: {exc}") from exc

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
