"""tracker: keeps every version of every news article, with diffs."""

__version__ = "0.1.0"
