"""Page furniture never becomes article text: every outlet layout of the fixture site and the
generic extractor, each kind of furniture put between two body paragraphs (and cookie banners
at the top of the page), under class names that mean nothing."""

from __future__ import annotations

import json
from types import ModuleType

import lxml.html
import pytest

from tests.site.furniture import (
    FURNITURE,
    cookie_banner,
    insert_after_paragraph,
    insert_at_body_start,
)
from tests.site.outlets import outlet_sites
from tracker.extraction import extract_article
from tracker.furniture import drop_furniture, is_furniture_text, without_furniture

PARAGRAPHS = [
    "The city council approved the budget on Tuesday after a debate that lasted most of the night.",
    "Officials said the plan would raise spending on schools and parks by five percent next year.",
    "Opponents argued that the increase would force the city to borrow money it cannot repay.",
    "The mayor is expected to sign the measure later this week, according to her spokesman.",
    "A final vote on the transit portion of the plan is scheduled for the council's next meeting.",
]
GENERIC_URL = "https://news.example.org/2024/01/05/council-budget"


def generic_page(paragraphs: list[str]) -> str:
    """A page of a site no parser knows: no JSON-LD body, so readability reads it."""
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return (
        "<!DOCTYPE html><html><head><title>Council approves budget</title>"
        '<meta property="og:type" content="article"></head><body>'
        '<div class="top"><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></div>'
        f'<div class="main"><h1>Council approves budget</h1><div class="text">{body}</div></div>'
        '<div class="bottom"><p>Copyright 2024 Example News.</p></div></body></html>'
    )


LAYOUTS: dict[str, tuple[str, str]] = {
    site.SPIDER: (site.ARTICLE_URLS[0], site.article_page(url=site.ARTICLE_URLS[0], headline="Council approves budget", paragraphs=PARAGRAPHS))
    for site in outlet_sites()
}
LAYOUTS["generic"] = (GENERIC_URL, generic_page(PARAGRAPHS))


def extracted(html: str, url: str) -> tuple[str | None, list[str]]:
    article = extract_article(html, url)
    return article["headline"], article["paragraphs"]


@pytest.mark.parametrize("kind", sorted(FURNITURE))
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_furniture_between_paragraphs_is_not_text(layout: str, kind: str) -> None:
    url, html = LAYOUTS[layout]
    before = extracted(html, url)
    assert PARAGRAPHS[1] in before[1], f"the {layout} page does not read as expected: {before[1]}"
    with_furniture = insert_after_paragraph(html, PARAGRAPHS[1], FURNITURE[kind](7))
    assert with_furniture is not None
    assert extracted(with_furniture, url) == before


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_cookie_banner_at_the_top_is_not_text(layout: str) -> None:
    url, html = LAYOUTS[layout]
    assert extracted(insert_at_body_start(html, cookie_banner(3)), url) == extracted(html, url)


@pytest.mark.parametrize("layout", ["washpo", "guardian", "generic"])
def test_a_real_paragraph_about_furniture_words_is_text(layout: str) -> None:
    """The test above could pass by dropping everything new: real sentences must stay."""
    url, html = LAYOUTS[layout]
    added = [
        "The advertisement ran in three states before the campaign pulled it on Monday.",
        "Read more about the plan in the council's report, which was published on Monday.",
        "By Tuesday, the opposition had gathered enough signatures to force a referendum.",
    ]
    edited = insert_after_paragraph(html, PARAGRAPHS[1], "".join(f"<p>{text}</p>" for text in added))
    assert edited is not None
    _, paragraphs = extracted(edited, url)
    assert paragraphs == PARAGRAPHS[:2] + added + PARAGRAPHS[2:]


FURNITURE_TEXTS = [
    "Advertisement", "ADVERTISEMENT", "Story continues below advertisement", "Skip Advertisement",
    "Continue reading the main story", "Read more", "Read more:", "Related Stories", "More on this story",
    "[Read more: Why the council vote matters]", "Share this article", "Comments (12)", "12 comments",
    "Sign up for our Morning Briefing newsletter to get the day's top stories in your inbox.",
    "Get the best of the news in your inbox every morning.",
    "We use cookies to improve your experience. By continuing you agree to our cookie policy.",
    "Subscribe to continue reading", "Already a subscriber? Sign in",
    "Updated 5 minutes ago", "Updated 10:32 a.m. EST, Jan. 5, 2024", "Published January 5, 2024 at 3:00 PM",
    "Written by Jane Reporter", "By JANE REPORTER and John Writer, Staff Writers", "E-mail the writer",
    "Follow Jane Reporter on Twitter", "Image caption", "Getty Images", "hide caption", "Live", "Breaking News",
    "November 1, 2019 at 6:25 PM EDT", "CNN —", "(Reuters) -", "STORY HIGHLIGHTS", "Cookie policy Accept all",
    # time stamps in languages the date-word list does not know
    "الأربعاء، 28 آب/اغسطس 2013، آخر تحديث 14:00 (GMT+0400)", "Mis à jour le mercredi 28 août 2013 à 14h00",
    "Aktualisiert am Mittwoch, 28. August 2013, 14:00 Uhr",
]
ARTICLE_TEXTS = [
    "The advertisement ran on Tuesday in three states.",
    "Read more about the plan in our explainer, which was published on Monday.",
    "By Tuesday, the Senate had voted.",
    "By the time police arrived, the suspect had fled.",
    "Updated guidance was published on Monday.",
    "Share prices fell 3 percent on Monday.",
    "Live music returned to the square for the first time since 2019.",
    "More than 200 people attended the meeting.",
    "Follow the money, the investigator told the committee.",
    "Comment is free, but facts are sacred.",
    "Sign-up sheets were posted outside the church.",
    "We use the cookies from the bakery on the corner, the chef said.",
    "On Monday, 5 people died in the fire.",
    "In 2019, the council voted to close the library.",
    "At 14:00 on 5 March 2019 the bridge collapsed.",
    "The meeting ran from 9:30 until noon in 2019 with most members present and voting",
    # credit and contributor lines are the article's own text (an added reporter is an edit)
    "Reporting by Jane Doe; additional reporting by John Roe; Editing by Ann Poe",
    "Jane Doe contributed to this report.",
    "Additional reporting by Jane Doe in London",
]


@pytest.mark.parametrize("text", FURNITURE_TEXTS)
def test_furniture_texts(text: str) -> None:
    assert is_furniture_text(text)


@pytest.mark.parametrize("text", ARTICLE_TEXTS)
def test_article_texts_are_not_furniture(text: str) -> None:
    assert not is_furniture_text(text)


def test_drop_furniture_by_structure_keeps_the_body() -> None:
    body = "".join(f"<p>{text}</p>" for text in PARAGRAPHS)
    root = lxml.html.fragment_fromstring(
        f'<div><div class="wrap paywall-ish" aria-label="x">{body}</div>'
        '<div class="x1"><a href="/a">One other story headline here</a><a href="/b">Another story</a></div>'
        '<ul class="x2"><li><a href="/c">A third story</a></li><li><a href="/d">A fourth story</a></li></ul>'
        '<div hidden><p>Hidden text.</p></div><div style="display: none"><p>Also hidden.</p></div>'
        '<div role="complementary"><p>A side box.</p></div><div class="AdSlot_container"><p>Buy now.</p></div>'
        '<div class="x3"><img src="/a.jpg"><span>A caption. Photo: Someone</span></div></div>'
    )
    assert drop_furniture(root) == 7
    assert [p.text_content() for p in root.iter("p")] == PARAGRAPHS


def test_a_hidden_wrapper_that_holds_the_article_stays() -> None:
    """Some pages hide the whole text until a script runs: that is still the article."""
    body = "".join(f"<p>{text}</p>" for text in PARAGRAPHS)
    root = lxml.html.fragment_fromstring(f'<div><div class="promo-box"><p>Short.</p></div><div style="display:none">{body}</div></div>')
    drop_furniture(root)
    assert [p.text_content() for p in root.iter("p")] == PARAGRAPHS


def test_layouts_cover_several_outlets() -> None:
    sites: list[ModuleType] = outlet_sites()
    assert len(sites) >= 5 and "generic" in LAYOUTS


# --- parser health (unit level; the end-to-end case is in test_e2e_furniture.py) ----------------


def jsonld_page(article_body: str, body_html: str) -> str:
    ld = json.dumps({"@type": "NewsArticle", "headline": "Council approves budget", "articleBody": article_body})
    return (
        f'<html><head><script type="application/ld+json">{ld}</script></head><body>'
        f'<h1 data-qa="headline">Council approves budget</h1><div class="article-body">{body_html}</div></body></html>'
    )


WAPO_URL = "https://www.washingtonpost.com/politics/2024/01/05/council-budget/"


def test_a_parser_that_agrees_with_json_ld_has_no_disagreement() -> None:
    html = jsonld_page("\n".join(PARAGRAPHS), "".join(f"<p>{text}</p>" for text in PARAGRAPHS))
    article = extract_article(html, WAPO_URL)
    assert article["extractor"] == "washpo" and article["disagreement"] is None


def test_a_parser_that_reads_a_teaser_box_disagrees_with_json_ld() -> None:
    teasers = ["More from Politics: senators trade blame as the deadline nears.", "A new poll shows a tight race."]
    html = jsonld_page("\n".join(PARAGRAPHS * 3), "".join(f"<p>{text}</p>" for text in teasers))
    article = extract_article(html, WAPO_URL)
    assert article["extractor"] == "washpo" and article["paragraphs"] == teasers
    assert article["disagreement"] is not None and article["disagreement"] >= 0.9


def test_a_parser_that_reads_a_part_of_the_article_is_not_flagged_when_json_ld_is_close() -> None:
    """Cheap signal only: a body within half to twice JSON-LD's length is never compared."""
    html = jsonld_page("\n".join(PARAGRAPHS), "".join(f"<p>{text}</p>" for text in PARAGRAPHS[:3]))
    assert extract_article(html, WAPO_URL)["disagreement"] is None


def test_the_generic_path_leaves_out_the_headline_above_the_text() -> None:
    html = generic_page(PARAGRAPHS).replace('<div class="text">', '<div class="text"><p>Council approves budget</p>')
    assert extracted(html, GENERIC_URL)[1] == PARAGRAPHS


def test_a_notice_linking_to_the_sites_legal_pages_is_furniture() -> None:
    notice = (
        '<div><p>We welcome lively debate. Read our <a href="/community_guidelines.html">guidelines</a>; '
        'what you post may be used under our <a href="/privacy.html">privacy policy</a>.</p>'
        "<p>The comments below are the views of their authors.</p></div>"
    )
    html = generic_page(PARAGRAPHS).replace("</div></div>", f"{notice}</div></div>", 1)
    assert extracted(html, GENERIC_URL)[1] == PARAGRAPHS


def test_a_paragraph_citing_another_sites_policies_is_text() -> None:
    cited = (
        'The company changed its <a href="https://social.example.com/privacy">privacy policy</a> '
        'and its <a href="https://social.example.com/terms">terms</a> on Monday, after regulators in three '
        "countries said the old rules let it share what users post with advertisers without asking them first."
    )
    html = generic_page(PARAGRAPHS).replace("</div></div>", f"<div><p>{cited}</p></div></div></div>", 1)
    assert extracted(html, GENERIC_URL)[1][-1].startswith("The company changed its privacy policy and its terms")


def test_a_label_repeated_through_the_text_is_furniture_but_a_speaker_is_not() -> None:
    slides = [p for text in PARAGRAPHS[:3] for p in ("Storm threatens holiday plans", text)]
    assert without_furniture(slides) == PARAGRAPHS[:3]
    transcript = [p for text in PARAGRAPHS[:3] for p in ("SMITH", text)]
    assert without_furniture(transcript) == transcript


@pytest.mark.parametrize(
    "text", ["Listen to Newsbeat live at 12:45 and 17:45 weekdays - or listen back here.", "Watch the full interview here"]
)
def test_an_invitation_to_listen_or_watch_is_furniture(text: str) -> None:
    assert is_furniture_text(text)


LINK_LINES = {
    "labelled": '<p>Related: <a href="/2024/01/04/other-story">Mayor names a new transit chief</a></p>',
    "bracketed": '<p>[Read: <a href="/2024/01/03/story">Why the vote matters</a>]</p>',
    "badge": '<div><span>Our standards:</span><span><a href="https://corp.example.com/trust">The Trust Principles.</a></span></div>',
    "shouted": '<p><strong><a href="/2024/01/02/teaser">COUNCIL CLEARED TO VOTE ON BUDGET AMID FEUD: REPORT</a></strong></p>',
}


@pytest.mark.parametrize("kind", sorted(LINK_LINES))
def test_a_line_that_is_one_link_with_a_label_or_in_capitals_is_furniture(kind: str) -> None:
    html = insert_after_paragraph(generic_page(PARAGRAPHS), PARAGRAPHS[1], LINK_LINES[kind])
    assert html is not None
    assert extracted(html, GENERIC_URL)[1] == PARAGRAPHS


@pytest.mark.parametrize(
    "line",
    [
        # a sentence with a link in it, a plain link line in sentence case, capitals inside prose,
        # an image link after a sentence, a quotation that is a link after "... wrote:"
        '<p>The council published <a href="/report">its report</a> on Monday.</p>',
        '<p><a href="/2024/01/02/transcript">Read the full transcript of the mayor\'s interview</a></p>',
        '<p>The agency, known as <a href="/nasa">NASA</a>, said the launch would go ahead.</p>',
        '<p>The mayor said the plan was final and thanked <a href="/staff">the council\'s STAFF</a>.</p>',
        '<p>The council published its report on Monday. <a href="/report"><img src="/icon.png"></a></p>',
        '<p>The mayor wrote: <a href="https://social.example.com/mayor/1">“The budget is final.”</a></p>',
    ],
)
def test_a_paragraph_with_one_link_is_text(line: str) -> None:
    html = insert_after_paragraph(generic_page(PARAGRAPHS), PARAGRAPHS[1], line)
    assert html is not None
    text = lxml.html.fragment_fromstring(line).text_content().strip()
    assert extracted(html, GENERIC_URL)[1] == PARAGRAPHS[:2] + [text] + PARAGRAPHS[2:]


def test_a_box_heading_in_capitals_is_left_to_the_box_rules() -> None:
    """Only a paragraph in the text's flow is a shouted teaser: a lone <div> heading of a side
    box is judged with its box (dropping it alone changes how readability reads the box)."""
    root = lxml.html.fragment_fromstring(
        f'<div><p>{PARAGRAPHS[0]}</p><div class="x"><a href="/local">TOP LOCAL STORIES NOW</a></div></div>'
    )
    assert drop_furniture(root) == 0
