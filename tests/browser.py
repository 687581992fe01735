"""A real headless browser for tests: Debian's ``chromium`` driven by Playwright for Python.

Fixture (re-exported by ``tests/conftest.py``):

* ``browser`` (session): a Playwright ``Browser`` running ``chromium`` from the PATH with the
  project's flags (no sandbox, no GPU, no background traffic). Playwright never downloads a
  browser here: ``scripts/test`` installs Debian's package.

With no chromium or no Playwright, the fixture fails in CI (``CI=true``) and skips elsewhere,
saying why.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.mongo_server import _in_ci

if TYPE_CHECKING:
    from playwright.sync_api import Browser

__all__ = ["CHROMIUM_ARGS", "browser"]

CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def _no_browser(reason: str) -> None:
    if _in_ci():
        pytest.fail(f"no browser for the tests: {reason}", pytrace=False)
    pytest.skip(f"no browser: {reason}")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        _no_browser("`chromium` is not on the PATH (scripts/test installs Debian's package)")
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        _no_browser("Playwright for Python is not installed (requirements-dev.txt)")
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_ARGS))
        except Error as exc:
            _no_browser(f"{executable} did not start: {str(exc).splitlines()[0][:200]}")
        try:
            yield chromium
        finally:
            chromium.close()
