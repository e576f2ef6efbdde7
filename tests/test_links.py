"""The one link pattern for comments and correction reports (corrections/links.py), and the
links moderation weighs as spam (moderation/spam_links.py), which that pattern must find."""

import re2

from corrections.links import ENDINGS, LINK, find_links, host
from corrections.report_checks import links_reason
from moderation.spam_links import DISPOSABLE_ENDINGS, MESSENGERS, SHORTENERS


def test_the_link_pattern_is_an_re2_pattern_linear_in_its_input():
    # RE2 compiles only patterns it can run without backtracking, so no input has a slow path.
    assert isinstance(LINK, re2._Regexp)


def test_fifty_thousand_characters_built_to_make_a_backtracking_engine_crawl_have_no_link():
    assert find_links("a-" * 25_000) == []
    assert find_links("a-" * 25_000 + "x.com") == ["a-" * 25_000 + "x.com"]


def test_a_correction_report_of_fifty_thousand_such_characters_is_judged():
    assert links_reason("a-a." * 12_500) is None


def test_links_with_a_scheme_www_or_a_known_ending_are_found():
    text = "see https://a.example/x, www.b.org and cheap-pills.com/buy or bit.ly/3x and t.me/chan"

    assert find_links(text) == [
        "https://a.example/x,",
        "www.b.org",
        "cheap-pills.com/buy",
        "bit.ly/3x",
        "t.me/chan",
    ]


def test_a_missing_space_after_a_full_stop_is_not_a_link():
    assert find_links("The end.It was late.So we left.In short") == []


def test_comments_and_reports_use_the_same_endings():
    assert find_links("buy at pills.shop") == ["pills.shop"]
    assert links_reason("a.shop b.shop c.shop") == "links: 3 links (at most 2)"


def test_host_drops_scheme_and_www():
    assert host("https://www.Bit.ly/abc") == "bit.ly"


def test_every_shortener_and_messenger_moderation_weighs_is_found_without_a_scheme():
    for name in sorted(SHORTENERS | MESSENGERS):
        assert find_links(f"write to {name}/abc now") == [f"{name}/abc"], name
        assert host(find_links(f"see {name}")[0]) == name


def test_every_throwaway_ending_moderation_weighs_is_a_link_ending():
    assert DISPOSABLE_ENDINGS.issubset(ENDINGS)
    for ending in sorted(DISPOSABLE_ENDINGS):
        assert find_links(f"buy at pills.{ending} today") == [f"pills.{ending}"], ending
