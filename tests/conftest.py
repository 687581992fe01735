"""Shared test fixtures. Service fixtures live in their own modules and are re-exported here."""

from __future__ import annotations

import os
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# Our packages first, whatever else of the same name is installed (see tests/test_packaging.py).
if str(PROJECT_ROOT) not in sys.path[:1]:
    sys.path.insert(0, str(PROJECT_ROOT))

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
from tests.mongo_server import ferretdb_server, mongo_db_uri, mongo_uri, postgres_cluster, private_ferretdb  # noqa: E402,F401
from tests.browser import browser  # noqa: E402,F401
