"""BBC News, as served by the local fixture site (the 2024 React layout; shared with the offline demo)."""

from tracker.demo.outlets.bbc import *  # noqa: F403 (the outlet module's interface, see __all__)
