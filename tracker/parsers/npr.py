"""NPR: the story layout used from 2016 to 2024 (saved pages from 2016 and 2023).

The body is ``div#storytext``; everything that is no paragraph of the story sits in a
``div.bucketwrap`` (photos with "hide caption" toggles, "internal link" promos, embedded
graphics, audio players, pull quotes) or in an ``aside`` ad slot. The byline is
``div#storybyline`` (``p.byline__name``; a separate "By" ``p`` in 2023), the date
``div.dateblock > time[datetime]`` with its UTC offset.
"""

from __future__ import annotations

from tracker.parsers import COMMON_DROP_XPATHS, OutletParser, has_class, register


@register
class NPRParser(OutletParser):
    name = "npr"
    hosts = ("npr.org",)

    body_xpaths = ("//div[@id='storytext']",)
    drop_xpaths = COMMON_DROP_XPATHS + (
        ".//div[contains(@class, 'bucketwrap')]",
        ".//*[contains(@class, 'credit-caption') or contains(@class, 'enlarge_html')]",
        ".//*[starts-with(@id, 'ad-')] | .//*[contains(@class, 'newsletter') or contains(@class, 'share-tools')]",
    )

    headline_xpaths = ("//div[@class='storytitle']/h1", "//article//h1", "//h1")
    author_xpaths = (
        f"//div[@id='storybyline']//p{has_class('byline__name')}",
        "//div[@id='storybyline']//a[@rel='author']",
    )
    published_xpaths = ("//div[contains(@class, 'dateblock')]/time/@datetime",)
    modified_xpaths = ("//meta[@property='article:modified_time']/@content",)
