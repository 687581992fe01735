"""XPath declarations of the outlet parsers, evaluated cheaply.

Parsers declare what they read as XPath (:class:`tracker.parsers.OutletParser`); this module
evaluates those declarations faster than lxml would as written, always selecting the same
nodes: :func:`compiled_xpath` compiles each once per process with cheaper ``//`` steps,
:class:`DescendantMatcher` matches drop declarations of the usual shape in one Python pass,
and :class:`SharedWalks` answers a parser's metadata declarations from one walk per element name.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from lxml import etree
from lxml.html import HtmlElement


@functools.cache
def compiled_xpath(xpath: str) -> etree.XPath:
    """Declarations are compiled once per process, not on every page (with the cheaper
    spelling of their ``//`` steps, see :func:`descendant_steps`)."""
    try:
        return etree.XPath(descendant_steps(xpath))
    except etree.XPathSyntaxError:  # never expected; the declaration as written reports it
        return etree.XPath(xpath)


# "//name[p]" is "descendant-or-self::node()/child::name[p]": libxml2 first gathers every node
# of the subtree (text nodes too), then asks each one for its children. "/descendant::name[p]"
# selects the same elements in about half the time, unless a predicate of that step counts
# positions ("//li[1]" is every first <li> of its parent, "/descendant::li[1]" the first of
# all). A step is rewritten only when each of its predicates is surely a boolean: a comparison,
# an and / or, contains() / starts-with() / not(), or a path (true when it selects something).
_STEP_NAME = re.compile(r"\*|[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?")
_AXIS_OR_CALL = re.compile(r"\s*(?:\(|::)")
_PATH_STEP = r"(?:(?:[a-z-]+::)?(?:[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?|\*|node\(\)|text\(\))|@[\w.:-]+|@\*|\.\.?)(?:\[\])*"
_PATH_PREDICATE = re.compile(rf"/{{0,2}}{_PATH_STEP}(?://?{_PATH_STEP})*")
_BOOLEAN_CALL = re.compile(r"(?:contains|starts-with|not|boolean|true|false)\(\)")
_LOGIC = re.compile(r"[=<>]|\s(?:and|or)\s")


def descendant_steps(xpath: str) -> str:
    """``xpath`` with every ``//name`` step whose predicates cannot count positions written as
    ``/descendant::name`` (the same selection, found faster by libxml2)."""
    parts: list[str] = []
    index = 0
    while index < len(xpath):
        char = xpath[index]
        if char in "'\"":  # a string literal is copied as it is
            end = xpath.find(char, index + 1)
            if end < 0:
                return xpath
            parts.append(xpath[index : end + 1])
            index = end + 1
        elif xpath.startswith("//", index) and _is_plain_step(xpath, index + 2):
            parts.append("/descendant::")
            index += 2
        else:
            parts.append(char)
            index += 1
    return "".join(parts)


def _is_plain_step(xpath: str, start: int) -> bool:
    """Whether the step at ``start`` is a name test (not a function, an axis or an attribute)
    followed only by predicates that are surely booleans."""
    name = _STEP_NAME.match(xpath, start)
    if name is None or _AXIS_OR_CALL.match(xpath, name.end()):
        return False
    found = _predicates(xpath, name.end())
    if found is None:
        return False
    predicates, end = found
    # position() and last() count positions wherever they sit (also inside not(...)).
    raw = xpath[name.end() : end]
    return "position(" not in raw and "last(" not in raw and all(map(_is_boolean, predicates))


def _predicates(xpath: str, start: int) -> tuple[list[str], int] | None:
    """The predicates right after ``start``, each with its nested groups and strings folded to
    ``[]``, ``()`` and ``''``, and where they end (None for unbalanced text)."""
    predicates: list[str] = []
    index = start
    while index < len(xpath) and xpath[index] == "[":
        folded: list[str] = []
        depth = 0
        while True:
            if index >= len(xpath):
                return None
            char = xpath[index]
            if char in "'\"":
                end = xpath.find(char, index + 1)
                if end < 0:
                    return None
                if depth == 1:
                    folded.append("''")
                index = end + 1
                continue
            if char in "[(":
                depth += 1
                if depth == 2:
                    folded.append(char)
            elif char in "])":
                depth -= 1
                if depth == 1:
                    folded.append(char)
                elif depth == 0:
                    index += 1
                    break
            elif depth == 1:
                folded.append(char)
            index += 1
        predicates.append("".join(folded).strip())
    return predicates, index


def _is_boolean(predicate: str) -> bool:
    """Whether a folded predicate surely evaluates to a boolean or a node-set (never to a
    number, which XPath compares with the position)."""
    return bool(
        _LOGIC.search(predicate) or _BOOLEAN_CALL.fullmatch(predicate) or _PATH_PREDICATE.fullmatch(predicate)
    )


# --- declarations matched in Python ------------------------------------------------------------

# libxml2 evaluates ``contains(@class, '...')`` slowly (each test builds a node-set and copies
# the attribute), and a parser's drop declarations hold dozens of them: on a page they cost
# about half of parsing it. The common shape of a declaration, a step with predicates that
# only test attributes, is matched in Python here (one pass over a container's elements, one
# regular expression per attribute); every other declaration is left to lxml.
#
# Exact XPath 1.0 semantics on HTML trees: an absent attribute is the empty string to
# ``contains`` / ``starts-with`` and fails ``@a='x'`` and ``@a``; a value-less attribute
# (``<div hidden>``) is present and empty, in lxml's ``get`` as in XPath; libxml2's HTML parser
# keeps the first of repeated attributes, so one value per name is all there is.

_NAME = r"[A-Za-z_][\w.-]*"  # no prefix: "fb:like" and "xml:lang" are left to lxml
_LITERAL = r"(?:'([^']*)'|\"([^\"]*)\")"
_BRANCH = re.compile(rf"\s*\.//(\*|{_NAME})\s*((?:\[.*\])?)\s*", re.DOTALL)
_CONTAINS = re.compile(rf"contains\(\s*@({_NAME})\s*,\s*{_LITERAL}\s*\)")
_STARTS_WITH = re.compile(rf"starts-with\(\s*@({_NAME})\s*,\s*{_LITERAL}\s*\)")
_EQUALS = re.compile(rf"@({_NAME})\s*=\s*{_LITERAL}")
_HAS = re.compile(rf"@({_NAME})")
# has_class(): a whole token of the space-normalised class list.
_TOKEN = re.compile(rf"contains\(\s*concat\(\s*' '\s*,\s*normalize-space\(\s*@({_NAME})\s*\)\s*,\s*' '\s*\)\s*,\s*{_LITERAL}\s*\)")
_XML_SPACE = re.compile(r"[ \t\r\n]+")
_ONE_TOKEN = re.compile(r" [^ \t\r\n]+ ")


@dataclass(frozen=True)
class _Test:
    """One attribute test: ``kind`` is contains, starts, equals, has or token."""

    kind: str
    attribute: str
    literal: str = ""

    def pattern(self) -> str:
        literal = re.escape(self.literal)
        if self.kind == "token":  # " word ": the word between XML white space or the ends
            word = re.escape(self.literal[1:-1])
            return rf"(?<![^ \t\r\n]){word}(?![^ \t\r\n])"
        return {"contains": literal, "starts": rf"\A{literal}", "equals": rf"\A{literal}\Z"}[self.kind]

    @property
    def is_one_token(self) -> bool:
        """A has_class() test of one word (" word "): a regular expression can say it."""
        return self.kind == "token" and _ONE_TOKEN.fullmatch(self.literal) is not None

    def __call__(self, element: HtmlElement) -> bool:
        value = element.get(self.attribute)
        if self.kind == "has":
            return value is not None
        if self.kind == "equals":
            return value == self.literal
        if self.kind == "token":
            return self.literal in f" {_normalize_space(value or '')} "
        text = value or ""
        return self.literal in text if self.kind == "contains" else text.startswith(self.literal)


def _normalize_space(text: str) -> str:
    """XPath's normalize-space(): only XML white space counts."""
    return _XML_SPACE.sub(" ", text).strip(" ")


@dataclass(frozen=True)
class _AncestorTest:
    """``ancestor::name[tests]``: some element above has that name and passes the tests."""

    name: str
    predicates: tuple[tuple[_Test, ...], ...]
    kind: str = "ancestor"

    def __call__(self, element: HtmlElement) -> bool:
        return any(
            (self.name == "*" or ancestor.tag == self.name)
            and all(any(test(ancestor) for test in tests) for tests in self.predicates)
            for ancestor in element.iterancestors()
        )


_ANCESTOR = re.compile(rf"ancestor::(\*|{_NAME})((?:\[.*\])?)", re.DOTALL)


def _parse_test(term: str) -> _Test | _AncestorTest | None:
    ancestor = _ANCESTOR.fullmatch(term)
    if ancestor is not None:
        parsed = _parse_branch(f".//{ancestor.group(1)}{ancestor.group(2)}")
        return _AncestorTest(parsed[0], parsed[1]) if parsed is not None else None
    for kind, pattern in (("token", _TOKEN), ("contains", _CONTAINS), ("starts", _STARTS_WITH), ("equals", _EQUALS)):
        match = pattern.fullmatch(term)
        if match:
            literal = match.group(2) if match.group(2) is not None else match.group(3)
            # contains(@a, '') holds even without the attribute: left to lxml
            return _Test(kind, match.group(1), literal) if literal or kind == "equals" else None
    match = _HAS.fullmatch(term)
    return _Test("has", match.group(1)) if match else None


def _outside_strings(text: str) -> Iterator[tuple[int, str, int]]:
    """Each character of ``text`` outside string literals, with its index and the depth of
    brackets and parentheses after it (depth -1: unbalanced, the scan ends; an unterminated
    string also ends it, with ``(-1, "", -1)``)."""
    depth, index = 0, 0
    while index < len(text):
        char = text[index]
        if char in "'\"":
            end = text.find(char, index + 1)
            if end < 0:
                yield -1, "", -1
                return
            index = end + 1
            continue
        depth += 1 if char in "[(" else -1 if char in "])" else 0
        yield index, char, depth
        if depth < 0:
            return
        index += 1


def _split_top_level(text: str, separator: str) -> list[str] | None:
    """``text`` split at ``separator`` outside strings, brackets and parentheses (None when
    unbalanced)."""
    parts: list[str] = []
    start = depth = 0
    for index, _, depth in _outside_strings(text):
        if depth < 0:
            return None
        if depth == 0 and index >= start and text.startswith(separator, index):
            parts.append(text[start:index])
            start = index + len(separator)
    if depth:
        return None
    parts.append(text[start:])
    return parts


def _predicate_bodies(text: str) -> list[str] | None:
    """The bodies of ``[...][...]`` (None when ``text`` is anything else)."""
    bodies = []
    rest = text.strip()
    while rest:
        if not rest.startswith("["):
            return None
        end = _closing_bracket(rest)
        if end is None:
            return None
        bodies.append(rest[1:end])
        rest = rest[end + 1 :].strip()
    return bodies


def _closing_bracket(text: str) -> int | None:
    """Where the bracket opening ``text`` closes, outside strings."""
    for index, char, depth in _outside_strings(text):
        if depth <= 0:
            return index if depth == 0 and char == "]" else None
    return None


# A branch: the element name ("*": any) and its predicates, each a disjunction of tests.
_Branch = tuple[str, tuple[tuple[_Test, ...], ...]]


def _parse_branch(xpath: str) -> _Branch | None:
    match = _BRANCH.fullmatch(xpath)
    if match is None:
        return None
    bodies = _predicate_bodies(match.group(2))
    if bodies is None:
        return None
    predicates = []
    for body in bodies:
        terms = _split_top_level(body, " or ")
        tests = [_parse_test(term.strip()) for term in terms or ()]
        if not tests or any(test is None for test in tests):
            return None
        predicates.append(tuple(tests))
    return match.group(1), tuple(predicates)


class DescendantMatcher:
    """The elements under a container that any of some XPath declarations select.

    Declarations of the shape ``.//name[test or ...][...]`` (tests on attributes: ``@a``,
    ``@a='x'``, ``contains(@a, 'x')``, ``starts-with(@a, 'x')``, has_class()'s whole-token
    test) are matched in one Python pass; the others go to lxml as one union. The result
    is a set, not a sequence: callers that drop subtrees get the same tree in any order.
    """

    def __init__(self, xpaths: Sequence[str]) -> None:
        branches: list[_Branch] = []
        others: list[str] = []
        for xpath in xpaths:
            for branch in _split_top_level(xpath, "|") or [xpath]:
                parsed = _parse_branch(branch)
                if parsed is None:
                    others.append(branch.strip())
                else:
                    branches.append(parsed)
        # Declarations with one predicate of attribute tests (most of them) become one
        # regular expression per element name and attribute; names alone become a set.
        self._any_names: set[str] = set()
        self._rules: dict[str, _Rules] = {}
        for name, predicates in branches:
            if not predicates:
                self._any_names.add(name)
            else:
                self._rules.setdefault(name, _Rules()).add(predicates)
        for rules in self._rules.values():
            rules.compile()
        self._everywhere = self._rules.pop("*", None)
        self._matches_everything = "*" in self._any_names
        self._rest = compiled_xpath(" | ".join(f"({xpath})" for xpath in others)) if others else None
        self._matches = self._compile()

    def __call__(self, container: HtmlElement) -> list[HtmlElement]:
        found = list(filter(self._matches, container.iterdescendants()))
        if self._rest is not None:
            seen = set(found)
            found += [
                node for node in self._rest(container)
                if isinstance(node, HtmlElement) and node not in seen
            ]
        return found

    def _compile(self) -> Callable[[HtmlElement], bool]:
        """The test of one element, with everything it reads bound to locals (it runs for
        every element under every container)."""
        if self._matches_everything:
            return lambda element: isinstance(element.tag, str)
        any_names = frozenset(self._any_names)
        everywhere = self._everywhere or _Rules()
        present = tuple(everywhere.present)
        patterns = tuple((attribute, pattern.search) for attribute, pattern in everywhere.patterns)
        checks = tuple(everywhere.checks)
        by_name = {name: rules.match for name, rules in self._rules.items()}

        def matches(element: HtmlElement) -> bool:
            tag = element.tag
            if not isinstance(tag, str):  # comments and processing instructions
                return False
            if tag in any_names:
                return True
            get = element.get
            for attribute in present:
                if get(attribute) is not None:
                    return True
            for attribute, search in patterns:
                value = get(attribute)
                if value is not None and search(value):
                    return True
            for check in checks:
                if check(element):
                    return True
            match = by_name.get(tag)
            return match is not None and match(element)

        return matches


class _Rules:
    """The declarations for one element name: attribute tests merged per attribute."""

    def __init__(self) -> None:
        self.present: list[str] = []
        self.alternatives: dict[str, list[str]] = {}
        self.patterns: list[tuple[str, re.Pattern[str]]] = []
        self.checks: list[Callable[[HtmlElement], bool]] = []

    def add(self, predicates: tuple[tuple[_Test, ...], ...]) -> None:
        predicates = _without_implied_presence(predicates)
        if len(predicates) > 1 or any(
            test.kind == "ancestor" or (test.kind == "token" and not test.is_one_token) for test in predicates[0]
        ):
            self.checks.append(_all_of(predicates))
            return
        for test in predicates[0]:
            if test.kind == "has":
                if test.attribute not in self.present:
                    self.present.append(test.attribute)
            else:
                self.alternatives.setdefault(test.attribute, []).append(test.pattern())

    def compile(self) -> None:
        self.patterns = [(attribute, re.compile("|".join(parts))) for attribute, parts in self.alternatives.items()]

    def match(self, element: HtmlElement) -> bool:
        get = element.get
        for attribute in self.present:
            if get(attribute) is not None:
                return True
        for attribute, pattern in self.patterns:
            value = get(attribute)
            if value is not None and pattern.search(value):
                return True
        return any(check(element) for check in self.checks)


def _without_implied_presence(predicates: tuple[tuple[_Test, ...], ...]) -> tuple[tuple[_Test, ...], ...]:
    """``[@class][contains(@class, 'a') or ...]`` as ``[contains(@class, 'a') or ...]``: a test of
    an attribute's value (a non-empty literal) only holds when the attribute is there."""
    if len(predicates) < 2:
        return predicates

    def needs(tests: tuple[_Test, ...], attribute: str) -> bool:
        return all(test.kind in ("contains", "starts", "equals") and test.attribute == attribute for test in tests)

    def implied_contains(tests: tuple[_Test, ...]) -> bool:
        # has_class('ad'): [contains(@class, 'ad')][whole token 'ad'], the token implies the rest
        return len(tests) == 1 and tests[0].kind == "contains" and any(
            len(other) == 1 and other[0].is_one_token and other[0].attribute == tests[0].attribute
            and tests[0].literal in other[0].literal[1:-1]
            for other in predicates
        )

    return tuple(
        tests for tests in predicates
        if not (
            len(tests) == 1 and tests[0].kind == "has"
            and any(other is not tests and needs(other, tests[0].attribute) for other in predicates)
        )
        and not implied_contains(tests)
    )


def _all_of(predicates: tuple[tuple[_Test, ...], ...]) -> Callable[[HtmlElement], bool]:
    def check(element: HtmlElement) -> bool:  # loops, not generators: it runs per element
        for tests in predicates:
            for test in tests:
                if test(element):
                    break
            else:
                return False
        return True

    return check


@functools.cache
def descendant_matcher(xpaths: tuple[str, ...]) -> DescendantMatcher:
    """One matcher per declaration tuple and process."""
    return DescendantMatcher(xpaths)


# --- absolute declarations sharing one walk per element name -----------------------------------

_STEP = re.compile(rf"//(\*|{_NAME})")
_ATTRIBUTE_STEP = re.compile(rf"/@({_NAME})\s*")


@dataclass(frozen=True)
class _Selection:
    """``//name[predicates]``, optionally after ``//outer[predicates]`` and before ``/@attribute``:
    the element name, the conditions an XPath walk over it tests, the same tests in Python."""

    name: str
    conditions: tuple[str, ...]
    check: Callable[[HtmlElement], bool] | None
    attribute: str | None


def _path_steps(xpath: str) -> tuple[list[tuple[str, list[str]]], str | None] | None:
    """The ``//name[...]`` steps of ``xpath`` and its final ``/@attribute`` (None: another shape)."""
    rest = xpath.strip()
    steps = []
    while rest.startswith("//"):
        match = _STEP.match(rest)
        if match is None:
            return None
        rest = rest[match.end() :]
        bodies = []
        while rest.startswith("["):
            end = _closing_bracket(rest)
            if end is None:
                return None
            bodies.append(rest[1:end])
            rest = rest[end + 1 :]
        steps.append((match.group(1), bodies))
    if not rest:
        return steps, None
    attribute = _ATTRIBUTE_STEP.fullmatch(rest)
    return (steps, attribute.group(1)) if attribute else None


def _parse_absolute(xpath: str) -> _Selection | None:
    """``//b[q]`` or ``//a[p]//b[q]`` (read as ``//b[q][ancestor::a[p]]``, the same elements in
    the same order), each optionally with ``/@attribute``."""
    found = _path_steps(xpath)
    if found is None or not 1 <= len(found[0]) <= 2:
        return None
    steps, attribute = found
    parsed = [_parse_branch(f".//{name}{''.join(f'[{body}]' for body in bodies)}") for name, bodies in steps]
    if any(step is None for step in parsed):
        return None
    name, bodies = steps[-1]
    predicates = parsed[-1][1]
    conditions = list(bodies)
    if len(steps) == 2:
        outer, outer_bodies = steps[0]
        conditions.append(f"ancestor::{outer}{''.join(f'[{body}]' for body in outer_bodies)}")
        predicates += ((_AncestorTest(outer, parsed[0][1]),),)
    return _Selection(name, tuple(conditions), _all_of(predicates) if predicates else None, attribute)


class SharedWalks:
    """Absolute declarations of one parser (``//name[tests]``, ``//name[tests]/@attribute``)
    answered with one lxml walk per element name: the walk selects every element any of
    them could select, each declaration keeps those its own tests accept (in document order,
    as lxml would give them). Other declarations are not answered here (None)."""

    def __init__(self, xpaths: Sequence[str]) -> None:
        self._selections: dict[str, _Selection] = {}
        conditions: dict[str, list[str] | None] = {}
        for xpath in xpaths:
            selection = _parse_absolute(xpath)
            if selection is None:
                continue
            self._selections[xpath] = selection
            if not selection.conditions:
                conditions[selection.name] = None  # every element of that name
            elif conditions.get(selection.name, []) is not None:
                # No parentheses unless needed: libxml2 is quicker with a bare "@a='x'".
                both = selection.conditions[0] if len(selection.conditions) == 1 else " and ".join(
                    f"({condition})" for condition in selection.conditions
                )
                conditions.setdefault(selection.name, []).append(both)
        self._walks = {
            name: f"//{name}" if condition is None else f"//{name}[{' or '.join(condition)}]"
            for name, condition in conditions.items()
        }

    def select(self, doc: HtmlElement, xpath: str, walked: dict[str, list[HtmlElement]]) -> list | None:
        """What ``xpath`` selects in ``doc`` (``walked`` keeps the walks made on it)."""
        selection = self._selections.get(xpath)
        if selection is None:
            return None
        if selection.name not in walked:
            walked[selection.name] = [
                node for node in compiled_xpath(self._walks[selection.name])(doc) if isinstance(node, HtmlElement)
            ]
        elements = walked[selection.name]
        if selection.check is not None:
            elements = [element for element in elements if selection.check(element)]
        if selection.attribute is None:
            return elements
        values = (element.get(selection.attribute) for element in elements)
        return [value for value in values if value is not None]
