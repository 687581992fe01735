"""Build backend: setuptools, plus one guarantee for editable installs.

``tracker``, ``spiders`` and ``pipelines`` are also names of unrelated packages on PyPI, and
Scrapy and scrapyd append the project to the *end* of ``sys.path``; setuptools' editable
finder is appended to ``sys.meta_path`` too. Either way an unrelated package of the same name
would win. An editable install therefore also gets ``_tracker_import_first.pth``, which puts
a finder for exactly our three packages at the *front* of ``sys.meta_path``.
"""

from __future__ import annotations

import base64
import hashlib
import zipfile
from pathlib import Path

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F403  (the whole PEP 517/660 interface)

PROJECT_ROOT = Path(__file__).resolve().parents[1]
OUR_PACKAGES = ("tracker", "spiders", "pipelines")

_FINDER_MODULE = '''\
"""Installed by news-tracker's editable install: our packages win over same-named ones."""
import importlib.machinery
import sys

_ROOT = {root!r}
_NAMES = {names!r}


class _ProjectFirstFinder:
    @classmethod
    def find_spec(cls, fullname, path=None, target=None):
        if fullname not in _NAMES:  # submodules follow their package
            return None
        return importlib.machinery.PathFinder.find_spec(fullname, [_ROOT])


if not any(finder is _ProjectFirstFinder for finder in sys.meta_path):
    sys.meta_path.insert(0, _ProjectFirstFinder)
'''


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):  # type: ignore[no-untyped-def]
    name = _setuptools.build_editable(wheel_directory, config_settings, metadata_directory)
    wheel_path = Path(wheel_directory) / name
    extra = {
        "_tracker_import_first.py": _FINDER_MODULE.format(root=str(PROJECT_ROOT), names=OUR_PACKAGES).encode(),
        "_tracker_import_first.pth": b"import _tracker_import_first\n",
    }
    with zipfile.ZipFile(wheel_path) as wheel:
        entries = {info.filename: wheel.read(info) for info in wheel.infolist()}
    record_name = next(entry for entry in entries if entry.endswith(".dist-info/RECORD"))
    record = entries[record_name].decode().rstrip("\n").split("\n")
    record[-1:-1] = [_record_line(file_name, data) for file_name, data in extra.items()]
    entries.update(extra)
    entries[record_name] = ("\n".join(record) + "\n").encode()
    with zipfile.ZipFile(wheel_path, "w", zipfile.ZIP_DEFLATED) as wheel:
        for file_name, data in entries.items():
            wheel.writestr(file_name, data)
    return name
