"""Read-only web view of the archive: pages, feeds and a JSON API over the ``Store`` interface.

>>> app = create_app("sqlite:///data/tracker.sqlite3")
"""

from __future__ import annotations

from tracker.web.app import create_app

__all__ = ["create_app"]
