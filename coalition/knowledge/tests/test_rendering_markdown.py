from html.parser import HTMLParser

import pytest
from django.template import Context, Template

from coalition.knowledge.rendering import ALLOWED_TAGS, markdown_html


def _render(text: str) -> str:
    return Template("{% load practice_text %}{{ text|markdown }}").render(Context({"text": text}))


class _Elements(HTMLParser):
    """The elements of an HTML fragment as a browser would build them: (tag, {attribute: value})."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def _elements(html: str) -> list[tuple[str, dict]]:
    parser = _Elements()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("text", [
    "<script>alert('x')</script>",
    "Before <script src=https://evil.example/x.js></script> after",
    "<SCRIPT>alert(1)</SCRIPT>",
    "```\n</code></pre><script>alert(1)</script>\n```",
])
def test_a_script_never_reaches_the_page(text):
    assert "script" not in [tag for tag, _attrs in _elements(_render(text))]


@pytest.mark.parametrize("text", [
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click]( javascript:alert(1) )",
    "<javascript:alert(1)>",
    "[click](data:text/html;base64,PHNjcmlwdD4=)",
    "[click](vbscript:msgbox(1))",
    '<a href="javascript:alert(1)">click</a>',
])
def test_javascript_and_data_links_lose_their_address(text):
    links = [attrs.get("href") for tag, attrs in _elements(_render(text)) if tag == "a"]
    assert all(href is None or href.startswith(("https:", "http:", "mailto:")) for href in links)


@pytest.mark.parametrize("text", [
    '<img src=x onerror="alert(1)">',
    "![x](https://example.org/a.png)",
    '<p onclick="alert(1)">hi</p>',
    '![a" onerror="alert(1)](https://example.org/a.png)',
    '<div style="background:url(javascript:alert(1))">x</div>',
])
def test_no_image_event_attribute_or_style_gets_through(text):
    for tag, attrs in _elements(_render(text)):
        assert tag in ALLOWED_TAGS
        assert set(attrs) <= {"href", "rel"}


def test_typed_html_is_shown_as_text():
    assert _render("<b>bold</b>") == "<p>&lt;b&gt;bold&lt;/b&gt;</p>"


def test_markdown_gives_the_small_set_of_tags():
    html = markdown_html(
        "# Heading\n\n## Sub\n\n#### Small\n\n**bold** *em* `code` [site](https://itu.int)\n\n- one\n- two\n\n"
        "1. first\n\n> quoted\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )
    assert "<h3>Heading</h3>" in html and "<h3>Sub</h3>" in html and "<h4>Small</h4>" in html
    assert "<h1" not in html and "<h2" not in html
    assert '<a href="https://itu.int" rel="nofollow noopener">site</a>' in html
    for tag in ("<strong>", "<em>", "<code>", "<ul>", "<ol>", "<li>", "<blockquote>", "<table>", "<th>", "<td>"):
        assert tag in html


def test_an_image_becomes_a_link_named_by_its_alt_text():
    assert markdown_html("![the map](https://example.org/map.png)") == (
        '<p><a href="https://example.org/map.png" rel="nofollow noopener">the map</a></p>')


def test_empty_text_renders_nothing():
    assert _render("") == ""
