"""POLITICO (www.politico.com): article layouts from 2010 to today.

- 2010: ``div.story-text`` of ``<p>`` with a "Continue Reading" anchor and a text-size /
  audio widget; byline and date in ``<meta name=author|publish_date>``.
- 2016-now (current): ``div.story-text`` of ``p.story-text__paragraph`` with the lead photo
  and byline (``div.story-meta``), ads and related-story asides inside it; the headline is an
  ``h2.headline`` (the ``h1`` is the logo) and ``time@datetime`` is US Eastern without an
  offset ("2022-10-17 16:01:26", shown as "04:01 PM EDT").
"""

from __future__ import annotations

import re

from tracker.parsers import COMMON_DROP_XPATHS, OutletParser, has_class, register


@register
class PoliticoParser(OutletParser):
    name = "politico"
    hosts = ("politico.com",)  # not politico.eu: another newsroom and CMS

    body_xpaths = (f"//div{has_class('story-text')}",)
    drop_xpaths = COMMON_DROP_XPATHS + (
        # lead photo with caption and byline, ads, related stories, newsletter promos
        ".//div[contains(@class, 'story-meta') or contains(@class, 'story-related')"
        " or contains(@class, 'story-embed') or contains(@class, 'story-intro')]",
        f".//div{has_class('ad')} | .//div[contains(@class, 'ad-slot') or contains(@class, 'newsletter')]",
        ".//*[contains(@class, 'media-item') or contains(@class, 'fig-graphic')]",
        # 2010: the "Continue Reading" anchor
        ".//a[@href='#continue']",
    )
    drop_paragraph_patterns = (
        re.compile(r"^(?:Sign up|Subscribe) (?:for|to) .{0,120}(?:newsletter|Playbook)", re.IGNORECASE),
    )

    headline_xpaths = (
        "//h2[@class='headline'] | //h1[@class='headline']",  # 2016-now
        "//div[@id='mainContent']//h1",  # 2010
    )
    author_xpaths = (
        "//p[contains(@class, 'story-meta__authors')]//a",  # 2016-now
        "//p[contains(@class, 'story-meta__authors')]",
        "//meta[@name='author']/@content",  # 2010: "Maggie Haberman and Shira Toeplitz"
    )
    published_xpaths = (
        "//p[contains(@class, 'story-meta__timestamp')]//time/@datetime",
        "//meta[@property='article:published_time']/@content",
        "//meta[@name='publish_date']/@content",  # 2010: "Sat, 09 Oct 2010 07:15:45 EST"
    )
    modified_xpaths = (
        "//p[contains(@class, 'story-meta__updated')]//time/@datetime",
        "//meta[@property='article:modified_time']/@content",
    )
    naive_timezone = "America/New_York"
