"""Research exports of the archive: Parquet, JSONL or CSV tables and a manifest.

``tracker export --out DIR`` (see :mod:`tracker.export.command`); the tables and their
columns are documented in docs/DATA.md ("Export").
"""
