"""The Python matching of XPath declarations (tracker.xpaths.DescendantMatcher, SharedWalks) selects exactly what
lxml selects: every registered parser's declarations, and the tricky cases one by one."""

from __future__ import annotations

import pytest
from lxml import html
from lxml.html import HtmlElement

from tracker.parsers import compiled_xpath, registered_parsers
from tracker.xpaths import DescendantMatcher, SharedWalks

# Attributes with and without values, empty values, class lists with odd white space,
# comments, nested matches, and the markup the outlets' declarations look for.
PAGE = html.document_fromstring(
    """<html><head><meta name="author" content="A"><meta property="og:title" content="T">
    <meta name="author"></head><body>
    <h1 data-qa="headline" itemprop="headline">Headline</h1><h1 class="Headline-headline x">Two</h1>
    <div class="article-body story-text">
      <p>one <a href="/x">link</a></p><!-- a comment --><p hidden>hidden</p>
      <div class=" ad
      related	 " id="ad-1"><p>ad</p></div>
      <div class="adx"><p>not an ad token</p></div><div class="">empty class</div>
      <div class="x ad">a no-break space is no XML white space</div><div class="bad ad-x">no</div>
      <figure><img src="a.jpg"><figcaption>caption</figcaption></figure>
      <blockquote class="twitter-tweet"><p>tweet</p></blockquote>
      <div data-qa="article-body-ad"><span>x</span></div><div data-qa="">empty data-qa</div>
      <span class="pb-byline">By A and B</span><span itemprop="datePublished" content="2018-10-29T10:15-500">Oct</span>
      <span class="timestamp" datetitle="published" epochtime="1400000000000">t</span>
      <div class="author-names"><span class="author-name">C</span><span class="author-name">D</span></div>
      <div class="byline"><span class="author">E</span></div><span class="author">not in a byline</span>
      <div data-authorname="F G"></div><div data-authorname>no name</div>
      <div style="display: none">gone</div><p class="share-tools">share</p>
      <ul><li><a href="/read_more_links/1">more</a></li></ul><h4>More</h4><ul><li>x</li></ul>
    </div>
    <p>Read more:</p><p><a href="/y">A link</a></p>
    </body></html>"""
)
CONTAINERS = [PAGE, PAGE.body, *PAGE.body.iter("div")]

DECLARATIONS = [
    ".//figure",
    ".//*[@hidden]",
    ".//*[@data-qa='']",
    ".//*[@data-qa]",
    ".//*[contains(@class, '')]",  # holds everywhere, also without a class: left to lxml
    ".//div[contains(@class, 'ad')][contains(concat(' ', normalize-space(@class), ' '), ' ad ')]",
    ".//div[contains(@class, ' ad')][contains(concat(' ', normalize-space(@class), ' '), ' ad ')]",
    ".//*[@class][contains(@class, 'related') or contains(@class, 'adx')]",
    ".//*[starts-with(@id, 'ad-') or contains(@style, 'display: none')]",
    ".//p[contains(@class, 'share') or @hidden] | .//blockquote[contains(@class, 'twitter-tweet')]",
    ".//span[@class='author'][ancestor::div[contains(@class, 'byline')]]",
    ".//p[a and normalize-space(.) = normalize-space(a)]",  # not a plain test: lxml
    ".//p[1]",  # positional: lxml
    ".//ul[.//a[contains(@href, 'read_more_links')]]",
]


def _lxml_union(root: HtmlElement, xpaths: list[str]) -> set[HtmlElement]:
    union = compiled_xpath(" | ".join(f"({xpath})" for xpath in xpaths))
    return {node for node in union(root) if isinstance(node, HtmlElement)}


@pytest.mark.parametrize("xpath", DECLARATIONS)
def test_each_declaration_selects_what_lxml_selects(xpath: str) -> None:
    for root in CONTAINERS:
        assert set(DescendantMatcher([xpath])(root)) == _lxml_union(root, [xpath])


def test_every_parsers_drop_declarations_select_what_lxml_selects() -> None:
    for parser in registered_parsers().values():
        matcher = DescendantMatcher(parser.drop_xpaths)
        for root in CONTAINERS:
            assert set(matcher(root)) == _lxml_union(root, list(parser.drop_xpaths)), parser.name


def test_the_test_page_exercises_the_matcher() -> None:
    # Not vacuous: the Python pass finds furniture of several kinds here.
    found = DescendantMatcher(DECLARATIONS)(PAGE.body)
    assert {"figure", "blockquote", "div", "p", "span"} <= {element.tag for element in found}


ABSOLUTE = [
    "//h1",
    "//h1[@data-qa='headline']",
    "//h1[contains(@class, 'Headline-headline')]",
    "//meta[@name='author']/@content",
    "//meta[@property='og:title']/@content",
    "//span[contains(@class, 'pb-byline')]",
    "//span[@itemprop='datePublished']/@content",
    "//span[contains(@class, 'timestamp')][@datetitle='published']/@epochtime",
    "//div[contains(@class, 'author-names')]//span[contains(@class, 'author-name')]",
    "//span[@class='author'][ancestor::div[contains(@class, 'byline')]]",
    "//div[@data-authorname]/@data-authorname",
    "//div[@data-authorname='']",
    "//p[2]",  # positional: not answered
    "//div[@class='x']/h1",  # a child step: not answered
]


def test_shared_walks_give_what_lxml_gives_in_the_same_order() -> None:
    walks = SharedWalks(ABSOLUTE)
    walked: dict[str, list[HtmlElement]] = {}
    answered = 0
    for xpath in ABSOLUTE:
        found = walks.select(PAGE, xpath, walked)
        if found is None:
            continue
        answered += 1
        expected = [node if isinstance(node, HtmlElement) else str(node) for node in PAGE.xpath(xpath)]
        assert found == expected, xpath
    assert answered == len(ABSOLUTE) - 2
    # One walk per element name, however many declarations read it.
    assert set(walked) == {"h1", "meta", "span", "div"}


def test_every_parsers_metadata_declarations_give_what_lxml_gives() -> None:
    for parser in registered_parsers().values():
        xpaths = (
            parser.headline_xpaths + parser.author_xpaths + parser.published_xpaths
            + parser.modified_xpaths + parser.standfirst_xpaths
        )
        walks, walked = SharedWalks(xpaths), {}
        for xpath in xpaths:
            found = walks.select(PAGE, xpath, walked)
            if found is not None:
                expected = [node if isinstance(node, HtmlElement) else str(node) for node in PAGE.xpath(xpath)]
                assert found == expected, (parser.name, xpath)
