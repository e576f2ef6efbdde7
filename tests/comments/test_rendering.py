from comments.rendering import render_body


def test_markup_is_escaped():
    assert render_body("<script>alert(1)</script>") == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"


def test_paragraphs_and_line_breaks_are_kept():
    assert render_body("one\r\ntwo\n\n\nthree") == "<p>one<br>two</p><p>three</p>"


def test_urls_become_inert_links():
    html = render_body("See https://example.com/a?b=1&c=2 now")

    assert '<a href="https://example.com/a?b=1&amp;c=2" rel="nofollow ugc noopener">' in html


def test_a_quote_cannot_break_out_of_a_link():
    html = render_body('https://example.com/"onmouseover="alert(1)')

    assert 'onmouseover="' not in html
    assert "&quot;" in html


def test_javascript_urls_are_not_linked():
    assert "<a " not in render_body("javascript:alert(1)")
