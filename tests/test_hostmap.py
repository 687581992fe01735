"""Tests for tracker.hostmap: parsing TRACKER_HOST_MAP and mapping URLs both ways."""

from __future__ import annotations

import json

import pytest

from tracker.hostmap import HostMap, parse_host_map

WAPO = "www.washingtonpost.com"
MIRROR = "http://127.0.0.1:8081"

# ---------------------------------------------------------------------------------------------
# parse_host_map


@pytest.mark.parametrize("empty", [None, "", {}, "{}"])
def test_empty_host_map(empty: object) -> None:
    assert parse_host_map(empty) == {}  # type: ignore[arg-type]


def test_parse_dict() -> None:
    assert parse_host_map({WAPO: MIRROR}) == {WAPO: MIRROR}


def test_parse_json_string_equals_dict() -> None:
    value = {WAPO: MIRROR, "feeds.washingtonpost.com": "https://mirror.example:8443/feeds"}
    assert parse_host_map(json.dumps(value)) == parse_host_map(value) == value


def test_host_names_are_case_folded_and_trailing_slashes_dropped() -> None:
    parsed = parse_host_map({"WWW.WashingtonPost.COM": MIRROR + "/"})
    assert parsed == {WAPO: MIRROR}
    assert HostMap(parsed).to_mirror("https://WWW.WASHINGTONPOST.COM/a") == MIRROR + "/a"


@pytest.mark.parametrize("bad_json", ["{nope", "{'single': 'quotes'}", '{"a.com": ', "not json"])
def test_invalid_json_is_a_clear_value_error(bad_json: str) -> None:
    with pytest.raises(ValueError, match=r"TRACKER_HOST_MAP is not a JSON object"):
        parse_host_map(bad_json)


@pytest.mark.parametrize("not_an_object", ["[1, 2]", '"x"', "42", "true"])
def test_json_that_is_no_object_is_rejected(not_an_object: str) -> None:
    with pytest.raises(ValueError, match=r"TRACKER_HOST_MAP"):
        parse_host_map(not_an_object)


@pytest.mark.parametrize(
    "base",
    ["ftp://127.0.0.1/", "127.0.0.1:8081", "file:///srv/mirror", "http://", "//127.0.0.1:8081", 5, None],
)
def test_base_url_must_be_http(base: object) -> None:
    with pytest.raises(ValueError) as info:
        parse_host_map({WAPO: base})  # type: ignore[dict-item]
    message = str(info.value)
    assert "TRACKER_HOST_MAP" in message and WAPO in message and "http(s)" in message


# ---------------------------------------------------------------------------------------------
# HostMap.to_mirror


@pytest.fixture
def host_map() -> HostMap:
    return HostMap(parse_host_map({WAPO: MIRROR, "feeds.washingtonpost.com": "http://127.0.0.1:9000/feeds/"}))


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.washingtonpost.com/politics/2024/01/05/a/", MIRROR + "/politics/2024/01/05/a/"),
        ("https://www.washingtonpost.com/a?b=1&c=2", MIRROR + "/a?b=1&c=2"),
        ("https://www.washingtonpost.com/a?b=1#frag", MIRROR + "/a?b=1"),
        ("http://www.washingtonpost.com:443/a", MIRROR + "/a"),
        ("https://www.washingtonpost.com/", MIRROR + "/"),
        ("https://feeds.washingtonpost.com/rss/politics", "http://127.0.0.1:9000/feeds/rss/politics"),
        ("https://feeds.washingtonpost.com/", "http://127.0.0.1:9000/feeds/"),
        ("https://feeds.washingtonpost.com", "http://127.0.0.1:9000/feeds/"),
    ],
)
def test_to_mirror(host_map: HostMap, url: str, expected: str) -> None:
    assert host_map.to_mirror(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://washingtonpost.com/a",
        "https://www.washingtonpost.com.evil.example/a",
        "https://www.nytimes.com/a",
        "https://127.0.0.1:8081/a",
    ],
)
def test_unmapped_hosts_are_not_mirrored(host_map: HostMap, url: str) -> None:
    assert host_map.to_mirror(url) is None


def test_truthiness() -> None:
    assert HostMap(parse_host_map({WAPO: MIRROR}))
    assert not HostMap({})


# ---------------------------------------------------------------------------------------------
# HostMap.to_real


@pytest.mark.parametrize(
    "real",
    [
        "https://www.washingtonpost.com/politics/2024/01/05/a/",
        "https://www.washingtonpost.com/a?b=1&c=2",
        "https://www.washingtonpost.com/",
        "https://feeds.washingtonpost.com/rss/politics",
        "https://feeds.washingtonpost.com/",
    ],
)
def test_to_real_inverts_to_mirror(host_map: HostMap, real: str) -> None:
    mirror = host_map.to_mirror(real)
    assert mirror is not None and mirror != real
    assert host_map.to_real(mirror, real) == real


def test_to_real_maps_a_redirect_to_another_page(host_map: HostMap) -> None:
    requested = "https://www.washingtonpost.com/politics/old-slug/"
    location = MIRROR + "/politics/2024/01/05/new-slug/?x=1#top"
    assert host_map.to_real(location, requested) == "https://www.washingtonpost.com/politics/2024/01/05/new-slug/?x=1#top"


def test_to_real_keeps_the_requested_scheme(host_map: HostMap) -> None:
    assert host_map.to_real(MIRROR + "/b", "http://www.washingtonpost.com/a") == "http://www.washingtonpost.com/b"


def test_to_real_mirror_host_is_case_insensitive() -> None:
    mapping = HostMap(parse_host_map({WAPO: "http://Mirror.Local:8081"}))
    assert mapping.to_real("http://mirror.local:8081/b", f"https://{WAPO}/a") == f"https://{WAPO}/b"


@pytest.mark.parametrize(
    "url",
    [
        "https://www.nytimes.com/b",
        "http://127.0.0.1:8082/b",  # other port
        "https://127.0.0.1:8081/b",  # other scheme
        "http://127.0.0.1:9000/other/b",  # outside the feeds mirror's path prefix
        "http://127.0.0.1:9000/feedsother/b",  # a prefix of the path is no path prefix
    ],
)
def test_to_real_leaves_other_urls_alone(host_map: HostMap, url: str) -> None:
    assert host_map.to_real(url, f"https://{WAPO}/a") == url


def test_to_real_with_a_base_path() -> None:
    mapping = HostMap(parse_host_map({"a.example": "http://mirror:9000/prefix"}))
    assert mapping.to_mirror("https://a.example/x?y=1") == "http://mirror:9000/prefix/x?y=1"
    assert mapping.to_real("http://mirror:9000/prefix/x?y=1", "https://a.example/") == "https://a.example/x?y=1"
    assert mapping.to_real("http://mirror:9000/prefix", "https://a.example/q") == "https://a.example/"


def test_two_hosts_sharing_a_mirror_the_requested_host_wins() -> None:
    mapping = HostMap(parse_host_map({"a.example": "http://mirror:9000", "b.example": "http://mirror:9000/"}))
    location = "http://mirror:9000/moved?z=1"
    assert mapping.to_real(location, "https://a.example/old") == "https://a.example/moved?z=1"
    assert mapping.to_real(location, "https://b.example/old") == "https://b.example/moved?z=1"
    # A request for neither (should not happen) still lands on one of the mapped hosts.
    assert mapping.to_real(location, "https://c.example/old") in {
        "https://a.example/moved?z=1",
        "https://b.example/moved?z=1",
    }
