"""Page furniture to put into article pages between two crawls: none of it may make a version.

Each builder gives the markup of one kind of furniture as sites serve it, under class names
that mean nothing (``seed`` varies them), so that only what the furniture *is* can give it
away. :func:`insert_after_paragraph` puts markup right after a body paragraph of any page
(the fixture site's and the saved real ones, for ``bench/fidelity.py``).
"""

from __future__ import annotations

import random
from collections.abc import Callable

import lxml.html
from lxml.html import HtmlElement

from tracker.normalize import clean_text

PARAGRAPH_TAGS = ("p", "li", "h2", "h3", "blockquote", "div", "span")


def _name(seed: int, kind: str) -> str:
    """A class name that says nothing about what it marks."""
    return f"c{random.Random(f'{kind}{seed}').getrandbits(32):08x}"


def ad_slot(seed: int = 0) -> str:
    return (
        f'<div class="{_name(seed, "ad")}"><p>Advertisement</p>'
        f'<div id="{_name(seed, "slot")}" style="min-height:250px"></div>'
        f'<script>window.slot{seed} = {{"size": [300, 250], "seed": {seed}}};</script></div>'
    )


def ad_label(seed: int = 0) -> str:
    label = ("Story continues below advertisement", "Skip Advertisement", "ADVERTISEMENT")[seed % 3]
    return f'<div class="{_name(seed, "label")}"><span>{label}</span></div>'


def related_box(seed: int = 0) -> str:
    links = "".join(
        f'<li><a href="/news/2024/01/0{n}/story-{seed}-{n}/">{title}</a></li>'
        for n, title in enumerate(
            ("Senate leaders trade blame as the shutdown deadline nears",
             "What the budget deal means for federal workers",
             f"Five takeaways from the week in politics ({seed})"),
            start=1,
        )
    )
    return f'<div class="{_name(seed, "rel")}"><h3>More on this story</h3><ul>{links}</ul></div>'


def newsletter_prompt(seed: int = 0) -> str:
    return (
        f'<div class="{_name(seed, "nl")}"><p>Sign up for our Morning Briefing newsletter to get the '
        f"day's top stories in your inbox.</p><input type=\"email\"><button>Sign up</button></div>"
    )


def caption(seed: int = 0) -> str:
    return (
        f'<div class="{_name(seed, "media")}"><img src="/photos/{seed}.jpg" alt="">'
        f"<span>Senators leave the chamber after the vote on Tuesday. Photo: Jane Photographer/Agency</span></div>"
    )


def updated_line(seed: int = 0) -> str:
    return f'<p class="{_name(seed, "upd")}">Updated {seed % 50 + 2} minutes ago</p>'


def cookie_banner(seed: int = 0) -> str:
    return (
        f'<div class="{_name(seed, "ck")}"><p>We use cookies to personalise content and ads and to analyse '
        f'our traffic. By continuing to browse this site you agree to our use of cookies.</p>'
        f'<a href="/privacy">Cookie policy</a> <a href="#">Accept all</a></div>'
    )


def byline_furniture(seed: int = 0) -> str:
    return f'<p class="{_name(seed, "by")}">Written by Jane Reporter</p><p>E-mail the writer</p>'


def share_prompt(seed: int = 0) -> str:
    return (
        f'<div class="{_name(seed, "sh")}"><a href="#">Share this article</a> <a href="#">Facebook</a> '
        f'<a href="#">X</a> <a href="#">Email</a></div><p>Comments ({seed % 90 + 3})</p>'
    )


# Each kind of furniture, by name.
FURNITURE: dict[str, Callable[[int], str]] = {
    "ad_slot": ad_slot,
    "ad_label": ad_label,
    "related_box": related_box,
    "newsletter": newsletter_prompt,
    "caption": caption,
    "updated_line": updated_line,
    "cookie_banner": cookie_banner,
    "byline": byline_furniture,
    "share": share_prompt,
}


# --- putting it into pages ---------------------------------------------------------------------


def parse(html: str) -> HtmlElement:
    return lxml.html.document_fromstring(html)


def serialize(doc: HtmlElement) -> str:
    return lxml.html.tostring(doc, encoding="unicode", doctype="<!DOCTYPE html>")


def find_paragraph(doc: HtmlElement, paragraph: str) -> HtmlElement | None:
    """The innermost element whose whole text is ``paragraph`` (as extraction cleaned it)."""
    found = None
    for element in doc.iter(*PARAGRAPH_TAGS):
        if clean_text(element.text_content()) == paragraph:
            found = element  # keep going: a later match may be nested inside this one
            children = (child for child in element if isinstance(child.tag, str))
            if not any(clean_text(child.text_content()) == paragraph for child in children):
                return element
    return found


def insert_markup_after(element: HtmlElement, markup: str) -> None:
    """``markup`` (one or more elements) right after ``element``, as its next siblings."""
    anchor = element
    for node in lxml.html.fragments_fromstring(markup):
        if isinstance(node, str):  # leading text: keep it as text after the anchor
            anchor.tail = (anchor.tail or "") + node
            continue
        anchor.addnext(node)
        anchor = node


def insert_after_paragraph(html: str, paragraph: str, markup: str) -> str | None:
    """``html`` with ``markup`` right after the element holding ``paragraph``; None when the
    page has no such element."""
    doc = parse(html)
    element = find_paragraph(doc, paragraph)
    if element is None:
        return None
    insert_markup_after(element, markup)
    return serialize(doc)


def insert_at_body_start(html: str, markup: str) -> str:
    doc = parse(html)
    body = doc.find("body")
    target = body if body is not None else doc
    nodes = [node for node in lxml.html.fragments_fromstring(markup) if not isinstance(node, str)]
    for node in reversed(nodes):
        target.insert(0, node)
    return serialize(doc)


