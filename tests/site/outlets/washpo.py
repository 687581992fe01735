"""The Washington Post, as served by the local fixture site (shared with the offline demo)."""

from tracker.demo.outlets.washpo import *  # noqa: F403 (the outlet module's interface, see __all__)
