"""Our ``tracker``, ``spiders`` and ``pipelines`` are the ones imported, whatever else is installed.

They are also names of unrelated PyPI packages, and Scrapy appends the project to the end of
``sys.path``. The editable install (``pip install -e .``, see _build/backend.py) puts a finder
for exactly these three packages first. The impostors here sit on PYTHONPATH, which comes
before site-packages: the strongest form of "an unrelated package of the same name".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.crawling import PROJECT_ROOT

OUR_PACKAGES = ("tracker", "spiders", "pipelines")


@pytest.fixture
def impostors(tmp_path: Path) -> dict[str, str]:
    site = tmp_path / "impostor-site"
    for name in OUR_PACKAGES:
        (site / name).mkdir(parents=True)
        (site / name / "__init__.py").write_text("IMPOSTOR = True\n")
    # A folder of the same name in the working directory must not win either.
    (tmp_path / "tracker").mkdir()
    (tmp_path / "tracker" / "__init__.py").write_text("IMPOSTOR = True\n")
    env = {key: value for key, value in os.environ.items() if key != "PYTHONSAFEPATH"}
    env["PYTHONPATH"] = str(site)
    return env


def run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=120)


def test_python_imports_our_packages(impostors: dict[str, str], tmp_path: Path) -> None:
    code = (
        "import json, tracker, spiders, pipelines, tracker.settings, pipelines.revisions;"
        "print(json.dumps({m.__name__: m.__file__ for m in (tracker, spiders, pipelines)}))"
    )
    result = run([sys.executable, "-c", code], impostors, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    files = json.loads(result.stdout)
    for name in OUR_PACKAGES:
        assert Path(files[name]).resolve() == PROJECT_ROOT / name / "__init__.py", (
            f"{name} came from {files[name]}: is the project installed with `pip install -e .`?"
        )


def test_scrapy_finds_our_spiders_and_settings(impostors: dict[str, str]) -> None:
    # The console script, as users run it: unlike `python -m`, it does not put the working
    # directory on sys.path, so only Scrapy's own (appended) project path is there.
    scrapy_script = Path(sys.executable).parent / "scrapy"
    assert scrapy_script.exists(), f"no scrapy console script next to {sys.executable}"
    result = run([str(scrapy_script), "list"], impostors, cwd=PROJECT_ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "washpo" in result.stdout.split()


def test_tracker_command_is_ours(impostors: dict[str, str], tmp_path: Path) -> None:
    result = run([sys.executable, "-m", "tracker", "--version"], impostors, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("tracker ")
