"""``python -m tracker.demo [--store URI]``: the same as ``tracker demo``."""

import sys

from tracker.cli import main

sys.exit(main(["demo", *sys.argv[1:]]))
