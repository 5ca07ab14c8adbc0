"""The page's texts: paragraphs and links only, never HTML of their own."""

from types import SimpleNamespace

from channels_app.pagetext import link_keys, render


def test_paragraphs_and_links():
    html = render("Första stycket.\n\nLäs [mer](https://www.orebro.se/).", {})
    assert html == '<p>Första stycket.</p>\n<p>Läs <a href="https://www.orebro.se/">mer</a>.</p>\n'


def test_html_and_script_links_are_not_markup():
    html = render("<script>alert(1)</script> [klicka](javascript:alert(1)) *inte fet*", {})
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert "<em>" not in html


def test_a_named_link_and_a_named_document():
    address = SimpleNamespace(href="https://www.orebro.se/personuppgifter", document=None)
    text = "[Här kan du läsa mer](@personuppgifter). Se [Riktlinjer](@saknas)."
    assert link_keys(text) == {"personuppgifter", "saknas"}
    html = render(text, {"personuppgifter": address})
    assert '<a href="https://www.orebro.se/personuppgifter">Här kan du läsa mer</a>' in html
    assert "Se Riktlinjer." in html  # a name with no row: its words alone


def test_a_changed_link_is_rendered_anew():
    text = "Läs [villkoren](@villkor)."
    before = {"villkor": SimpleNamespace(href="https://www.orebro.se/a", document=None)}
    after = {"villkor": SimpleNamespace(href="https://www.orebro.se/b", document=None)}
    assert 'href="https://www.orebro.se/a"' in render(text, before)
    assert 'href="https://www.orebro.se/b"' in render(text, after)
    assert render(text, {}) == "<p>Läs villkoren.</p>\n"
