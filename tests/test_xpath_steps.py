"""The cheaper spelling of ``//name`` steps selects exactly what the declaration selects."""

from __future__ import annotations

import pytest
from lxml import html

from tracker.xpaths import compiled_xpath, descendant_steps

PAGE = html.fromstring(
    """<html><body>
    <div class="story"><p>one</p><p class="x">two</p><ul><li>a</li><li>b</li></ul></div>
    <div class="story side"><p data-n="3">three</p><ul><li>c</li><li>d</li><li>e</li></ul></div>
    <section><p>four <a href="/x">link</a></p></section>
    </body></html>"""
)


@pytest.mark.parametrize(
    "xpath",
    [
        "//p",
        "//div[contains(@class, 'story')]//p",
        "//p[@class='x' or @data-n]",
        "//p[a]",
        "//p[not(a)]",
        ".//div[starts-with(@class, 'story')]/ul//li",
        "//li[1]",                      # positional: every first <li> of its list
        "//li[last()]",
        "//ul[count(li) > 2]//li",
        "(//p)[2]",
        "//li[position() < 2] | //p[2]",
        "//p[contains(., '[1]')]",       # brackets inside a string are no predicate
    ],
)
def test_same_selection_as_written(xpath: str) -> None:
    assert compiled_xpath(xpath)(PAGE) == PAGE.xpath(xpath)


@pytest.mark.parametrize("xpath", ["//li[1]", "//li[last()]", "//li[position() < 2]", "//x[count(p)]"])
def test_positional_steps_are_left_alone(xpath: str) -> None:
    assert descendant_steps(xpath) == xpath


def test_boolean_steps_are_rewritten() -> None:
    assert descendant_steps("//div[@id='a']//p") == "/descendant::div[@id='a']/descendant::p"
    assert descendant_steps("//p[contains(@class, '//x')]") == "/descendant::p[contains(@class, '//x')]"
