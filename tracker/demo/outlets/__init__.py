"""Outlet-shaped article pages for the local site: the outlets the offline demo serves.

Each module is the one :mod:`tests.site.outlets` describes (``SPIDER``, ``HOSTS``,
``ARTICLE_URLS``, ``discovery_pages``, ``article_page``); the end-to-end tests reuse them.
"""
