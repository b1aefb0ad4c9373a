"""The result HTML builder escapes everything that is not built by it."""

from assessments.core.html import Markup, element, join, text


def test_text_is_escaped_in_content_and_attributes():
    html = element("a", "<script>alert(1)</script>", href='x" onmouseover="y')
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert 'href="x&quot; onmouseover=&quot;y"' in html


def test_markup_nests_without_double_escaping():
    html = element("ul", [element("li", "a & b"), element("li", 3)])
    assert html == "<ul><li>a &amp; b</li><li>3</li></ul>"
    assert isinstance(html, Markup)


def test_attribute_names_and_flags():
    assert element("input", type="radio", checked=True, aria_hidden="true", class_="x", disabled=False) == (
        '<input type="radio" checked aria-hidden="true" class="x">'
    )
    assert join(None) == "" and text("<") == "&lt;"
