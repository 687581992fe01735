"""The demo's articles and how each one changes between crawls.

Each story is a list of editions, one per crawl: an edition repeats the previous one except for
the edit named in its comment (a changed headline, a changed word, an added paragraph...).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from types import ModuleType

from tracker.demo.outlets import bbc, guardian, washpo


@dataclass(frozen=True)
class Edition:
    headline: str
    paragraphs: tuple[str, ...]
    authors: tuple[str, ...] = ("Jane Reporter",)


@dataclass(frozen=True)
class Story:
    outlet: ModuleType  # a module of tracker.demo.outlets: its article_page() renders the page
    url: str
    editions: tuple[Edition, ...]  # one per crawl

    @property
    def path(self) -> str:
        """Where the local site serves the page (the URL's path)."""
        return "/" + self.url.split("/", 3)[3]


def edited(edition: Edition, *, headline: str | None = None, replace_words: tuple[str, str] | None = None,
           append: str | None = None, insert: tuple[int, str] | None = None) -> Edition:
    """``edition`` with one newsroom edit applied."""
    paragraphs = list(edition.paragraphs)
    if replace_words is not None:
        old, new = replace_words
        paragraphs = [paragraph.replace(old, new) for paragraph in paragraphs]
    if insert is not None:
        paragraphs.insert(*insert)
    if append is not None:
        paragraphs.append(append)
    return replace(edition, headline=headline or edition.headline, paragraphs=tuple(paragraphs))


BUDGET = Edition(
    "Senate passes stopgap budget hours before shutdown deadline",
    (
        ("The Senate voted late Thursday to approve a stopgap budget that keeps the federal government "
         "open for six more weeks, ending a standoff that had threatened a shutdown at midnight."),
        ("The measure passed 77 to 19 after party leaders agreed to drop a disputed provision on border "
         "funding. The House is expected to take it up on Friday morning."),
        ("Lawmakers now have until mid-February to negotiate a full-year spending agreement, a task that "
         "has eluded them for three consecutive budget cycles."),
        ("\u201cThis is not the end of the fight, but it is the end of this week\u2019s crisis,\u201d said "
         "Senator Jane Smith, who helped broker the deal."),
    ),
    ("Jane Reporter", "Sam Writer"),
)
STORM = Edition(
    "Storm batters coast, leaving thousands without power",
    (
        ("A powerful winter storm swept along the Atlantic coast overnight, toppling trees and power lines "
         "and leaving about 40,000 homes without electricity by Friday morning."),
        ("Emergency crews worked through the night to clear roads, and officials urged residents to stay "
         "indoors as wind gusts reached 60 miles per hour."),
        "Schools in three counties were closed, and several ferry services were suspended until further notice.",
    ),
)
SUMMIT = Edition(
    "Climate summit ends without agreement on fossil fuels",
    (
        ("Two weeks of talks ended on Saturday without a deal on phasing out fossil fuels, after a group of "
         "oil-producing countries refused to accept any mention of a deadline."),
        ("Delegates from small island states said they were deeply disappointed and warned that the "
         "outcome left their countries exposed to rising seas."),
        ("The summit's president said negotiators had made progress on finance for poorer nations and "
         "would meet again in June to continue the work."),
    ),
)
RAIL = Edition(
    "Rail strike to go ahead after talks collapse",
    (
        ("Train drivers will strike on Tuesday after last-minute talks between the union and rail "
         "operators broke down without agreement on pay."),
        "The union said its members had been offered a 4% rise, well below inflation over the past two years.",
        "Operators warned that most services would not run and advised passengers to work from home if they could.",
    ),
)
MUSEUM = Edition(
    "Museum returns looted bronzes to Nigeria",
    (
        ("A London museum has handed back 72 bronze sculptures taken from the Kingdom of Benin by British "
         "soldiers in 1897, in one of the largest returns of its kind."),
        "The objects were received at a ceremony in Benin City attended by the Oba of Benin and museum trustees.",
        "Campaigners welcomed the return but said hundreds of other pieces remain in collections across Europe.",
    ),
)
FLOODS = Edition(
    "Flood warnings issued as river levels rise",
    (
        ("The Environment Agency has issued 30 flood warnings across England after days of heavy rain "
         "pushed several rivers close to their banks."),
        "Residents in low-lying areas were told to move valuables upstairs and to avoid driving through floodwater.",
        "Forecasters said more rain was expected on Sunday, although it should ease by the middle of next week.",
    ),
)


def stories() -> list[Story]:
    """Six articles of three outlets, each with three editions (one per crawl)."""
    budget_2 = edited(BUDGET, headline="Senate passes stopgap budget, averting government shutdown")
    storm_2 = edited(STORM, replace_words=("about 40,000", "more than 120,000"))
    summit_2 = edited(SUMMIT, append="Observers said the absence of a fossil fuel pledge would overshadow "
                                     "the modest progress made elsewhere in the talks.")
    rail_3 = edited(RAIL, replace_words=("a 4% rise", "a 5% rise"),
                    insert=(2, ("The transport secretary urged both sides to return to the table, saying "
                                "passengers had suffered enough disruption this winter.")))
    museum_3 = edited(MUSEUM, headline="London museum returns 72 looted Benin Bronzes to Nigeria")
    floods_2 = edited(FLOODS, replace_words=("30 flood warnings", "45 flood warnings"))
    return [
        Story(washpo, "https://www.washingtonpost.com/politics/2024/01/05/senate-stopgap-budget-shutdown/", (
            BUDGET, budget_2,
            edited(budget_2, append="The House approved the measure 336 to 95 on Friday, sending it to the "
                                    "president, who signed it within the hour."),
        )),
        Story(washpo, "https://www.washingtonpost.com/national/2024/01/05/winter-storm-power-outages/", (STORM, storm_2, edited(storm_2, replace_words=("60 miles", "70 miles")))),
        Story(guardian, "https://www.theguardian.com/environment/2024/jan/06/climate-summit-no-fossil-fuel-deal", (SUMMIT, summit_2, summit_2)),
        Story(guardian, "https://www.theguardian.com/uk-news/2024/jan/08/rail-strike-talks-collapse", (RAIL, RAIL, rail_3)),
        Story(bbc, "https://www.bbc.co.uk/news/world-africa-67891111", (MUSEUM, MUSEUM, museum_3)),
        Story(bbc, "https://www.bbc.co.uk/news/uk-67892222", (FLOODS, floods_2, edited(floods_2, replace_words=("on Sunday", "on Saturday night")))),
    ]
