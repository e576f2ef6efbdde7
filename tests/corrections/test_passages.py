from corrections.passages import EXACT, FUZZY, NORMALIZED, find_passage

SEED_SENTENCE = (
    "At the same time, Kazakh President Kassym-Jomart Tokayev ordered \u00a0assistance for Russians "
    "entering his country “because of the current hopeless situation.”"
)
TEXT = f"An estimated 98,000 Russians have fled.\n\n{SEED_SENTENCE}\n\n“We must take care of them,” he said."


def _found(text, quote, **context):
    match = find_passage(text, quote, **context)
    return match and (text[match.start : match.end], match.method)


def test_an_exact_quote_is_found_where_it_is():
    assert _found(TEXT, "Kassym-Jomart Tokayev") == ("Kassym-Jomart Tokayev", EXACT)


def test_a_selection_with_plain_spaces_and_straight_quotes_finds_the_seed_passage():
    quote = 'Tokayev ordered assistance for Russians entering his country "because of the current hopeless situation."'

    text, method = _found(TEXT, quote)

    assert method == NORMALIZED
    assert text.startswith("Tokayev ordered \u00a0assistance")
    assert text.endswith("hopeless situation.”")


def test_a_passage_edited_after_the_report_is_found_approximately():
    edited = TEXT.replace("ordered \u00a0assistance", "ordered urgent assistance").replace(
        "hopeless", "desperate"
    )
    quote = "Tokayev ordered assistance for Russians entering his country “because of the current hopeless situation.”"

    text, method = _found(edited, quote, prefix="Kazakh President Kassym-Jomart ")

    assert method == FUZZY
    assert text.startswith("Tokayev ordered urgent assistance")
    assert "desperate" in text


def test_the_context_picks_the_right_one_of_two_identical_passages():
    text = "He said yes. Then she arrived. He said yes. Then he left."

    match = find_passage(text, "He said yes.", prefix="she arrived. ", suffix=" Then he left")

    assert match.start == text.rindex("He said yes.")


def test_the_context_picks_the_right_one_after_an_edit_too():
    text = "He said yes. Then she arrived. He said yes. Then he left."

    match = find_passage(
        text.replace("said", "says"), "He said yes.", prefix="she arrived. ", suffix=" Then he left"
    )

    assert match.method == FUZZY
    assert match.start == text.rindex("He said yes.")


def test_a_passage_that_is_gone_is_reported_as_not_found():
    assert find_passage(TEXT, "The prime minister of Norway resigned on Tuesday after a vote") is None


def test_an_empty_quote_is_not_searched():
    assert find_passage(TEXT, "   ") is None
