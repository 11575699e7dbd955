"""A practice's long texts are Markdown, stored as typed and shown as sanitised HTML.

Two locks, each enough on its own: Markdown is rendered with its raw-HTML rules removed (typed
HTML comes out as text, visible and harmless), then the HTML is cleaned by nh3 to a small set
of tags — paragraphs, lists, emphasis, code, quotes, level-3 and level-4 headings (a practice's
headings sit under the page's), tables — with links to http(s) and mailto only, marked
rel="nofollow noopener". No image, no style, no event attribute, no script gets through.
"""

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "ul", "ol", "li", "strong", "em", "a", "code", "pre", "blockquote", "h3", "h4",
    "table", "thead", "tbody", "tr", "th", "td",
})
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener"

# Typed headings go under the page's own h1 and h2: "#" and "##" become h3, the rest h4.
_HEADING_LEVEL = {"h1": "h3", "h2": "h3", "h3": "h3", "h4": "h4", "h5": "h4", "h6": "h4"}


class _Headings(Treeprocessor):
    """Headings moved down; an image becomes a link to it, named by its alt text (pages show no
    image they do not host)."""

    def run(self, root):
        for element in root.iter():
            if element.tag in _HEADING_LEVEL:
                element.tag = _HEADING_LEVEL[element.tag]
            elif element.tag == "img":
                source, alt = element.get("src", ""), element.get("alt", "")
                element.attrib.clear()
                element.tag, element.text = "a", alt or source
                element.set("href", source)


class _PlainMarkdown(Extension):
    """Markdown without raw HTML (blocks and inline tags are left as text), with the headings
    moved down and images as links."""

    def extendMarkdown(self, md):  # noqa: N802  (Markdown's name)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_Headings(md), "coalition_headings", 0)


def markdown_html(text: str) -> SafeString:
    """`text` (Markdown) as sanitised HTML, safe to put in a page."""
    if not text:
        return mark_safe("")
    html = markdown.markdown(text, extensions=[_PlainMarkdown(), "tables", "fenced_code", "sane_lists"],
                             output_format="html")
    clean = nh3.clean(html, tags=set(ALLOWED_TAGS), attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
                      url_schemes=set(URL_SCHEMES), link_rel=LINK_REL, strip_comments=True,
                      clean_content_tags={"script", "style"})
    return mark_safe(clean)  # noqa: S308  (cleaned by nh3 just above)
