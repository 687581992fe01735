"""The real news pages under /work/shared/fixtures/real-pages, as cases for tests and the bench.

Pages are read in place (third-party content, never copied into the repository). The root
can be moved with the environment variable ``TRACKER_REAL_PAGES``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from tracker.extraction import decode_html

ROOT_ENV_VAR = "TRACKER_REAL_PAGES"
DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "real-pages"


def fixture_root() -> Path:
    return Path(os.environ.get(ROOT_ENV_VAR) or DEFAULT_ROOT)


@dataclass(frozen=True)
class RealPage:
    """One saved page (``page.html``) and what its source project asserts (``expected.json``)."""

    outlet: str
    case: str
    directory: Path

    @property
    def id(self) -> str:
        return f"{self.outlet}/{self.case}"

    @cached_property
    def expected(self) -> dict[str, Any]:
        return json.loads((self.directory / "expected.json").read_text(encoding="utf-8"))

    @property
    def url(self) -> str:
        return self.expected.get("url") or ""

    def html(self) -> str:
        """The page decoded like a crawler would (some pages are ISO-8859-1)."""
        return decode_html((self.directory / "page.html").read_bytes())


def outlet_names(root: Path | None = None) -> list[str]:
    root = root or fixture_root()
    return sorted(path.name for path in root.iterdir() if path.is_dir()) if root.is_dir() else []


def outlet_cases(outlet: str, root: Path | None = None) -> list[RealPage]:
    """Every case directory of ``outlet``; raises FileNotFoundError when there is none."""
    directory = (root or fixture_root()) / outlet
    if not directory.is_dir():
        raise FileNotFoundError(
            f"no real-page fixtures for {outlet!r}: {directory} is missing "
            f"(set {ROOT_ENV_VAR} to the real-pages directory)"
        )
    pages = [
        RealPage(outlet, case.name, case)
        for case in sorted(directory.iterdir())
        if case.is_dir()
    ]
    if not pages:
        raise FileNotFoundError(f"no real-page cases in {directory}")
    return pages
