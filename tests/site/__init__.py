"""The local news site of the tests: :class:`FixtureSite` (on 127.0.0.1, changed between crawls).

It lives in :mod:`tracker.demo.site` because the offline demo (``tracker demo``) serves its
pages too; outlet-shaped pages are in :mod:`tests.site.outlets`.
"""

from tracker.demo.site import FixtureSite, LoggedRequest, Page

__all__ = ["FixtureSite", "LoggedRequest", "Page"]
