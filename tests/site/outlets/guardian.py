"""The Guardian, as served by the local fixture site (shared with the offline demo)."""

from tracker.demo.outlets.guardian import *  # noqa: F403 (the outlet module's interface, see __all__)
