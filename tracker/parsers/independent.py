"""The Independent (www.independent.co.uk): article layouts from 2014 to today.

- 2014: ``div.storyContent`` with the lead in ``span.storyTop`` and the rest in ``div.body``
  (the ``<p>`` before them is the standfirst).
- 2015-2016 Drupal: ``div.text-wrapper[itemprop=articleBody]`` with picture galleries and
  "Read more" link lists in ``dnd-widget-wrapper`` / ``inline-block-related-list`` boxes.
- 2020-now (current, styled components with hashed classes): ``div#main`` of ``div > p``
  with ad slots, a "Read more" ``aside`` and picture galleries between paragraphs.
"""

from __future__ import annotations

import re

from tracker.parsers import COMMON_DROP_XPATHS, OutletParser, has_class, register


@register
class IndependentParser(OutletParser):
    name = "independent"
    hosts = ("independent.co.uk",)  # not independent.ie: another paper

    body_xpaths = (
        # 2014 (its page also has a div#main around everything, so it goes first)
        f"//div{has_class('storyContent')}/span{has_class('storyTop')}"
        f" | //div{has_class('storyContent')}/div{has_class('body')}",
        "//div[@itemprop='articleBody']",  # 2015-2016
        "//div[@id='main']",  # 2020-now
    )
    drop_xpaths = COMMON_DROP_XPATHS + (
        # 2014: photos with their captions inside a paragraph
        ".//span[contains(@class, 'inline-image')]",
        # 2015-2016: pictures, videos and galleries, "Read more" lists, tags, share buttons
        ".//div[contains(@class, 'dnd-widget-wrapper') or contains(@class, 'related')]",
        ".//ul[contains(@class, 'inline-pipes-list')] | .//div[starts-with(@id, 'gigya-share')]",
        ".//a[contains(@class, 'syndication-btn')]",
        # 2020-now: galleries, ad and video slots, polls, recommendation carousels
        ".//div[contains(@class, 'gallery')] | .//div[@data-mpu] | .//interaction",
        ".//div[contains(@class, 'teads') or @id='article-im-prompt' or starts-with(@id, 'taboola')]",
        ".//div[contains(@class, 'inline-video') or contains(@class, 'video-player')"
        " or contains(@class, 'newsletter')]",
    )
    drop_paragraph_patterns = (
        re.compile(r"^Read more\b.{0,200}$", re.IGNORECASE),
        re.compile(r"^More about:", re.IGNORECASE),
    )

    headline_xpaths = (
        f"//div{has_class('storyContent')}/h1",  # 2014
        "//h1[@itemprop='headline']",  # 2015-2016
        "//article//h1 | //header//h1[@id='articleHeader']",  # 2020-now
    )
    # The intro under the headline, in the article's header.
    standfirst_xpaths = (f"//header//div{has_class('intro')}",)
    author_xpaths = (
        "//li[@class='author']//*[@itemprop='name']",  # 2015-2016 (not the job title after it)
        f"//div{has_class('storyContent')}/div[@class='byline']//a",  # 2014
        "//h1/..//a[starts-with(@href, '/author/')]",  # 2020-now: in the header with the h1
    )
    published_xpaths = ("//meta[@property='article:published_time']/@content",)
    modified_xpaths = ("//meta[@property='article:modified_time']/@content",)
