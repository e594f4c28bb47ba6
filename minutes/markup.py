"""Minutes text: a small Markdown, turned into HTML that is safe to show and to print.

Officials write headings, lists, emphasis, links and tables. Whatever they paste, the
HTML is rebuilt from an allow-list by nh3 (ammonia): no scripts, no event handlers, no
style attributes, no images and only http(s)/mailto links. The same function feeds the
preview, the region's review page and (later) the PDF, so all three show the same thing.
"""

import html
import re

import markdown
import nh3
from django.utils.html import strip_tags

ALLOWED_TAGS = {
    "p", "br", "h3", "h4", "h5", "ul", "ol", "li", "strong", "em", "b", "i", "a",
    "table", "thead", "tbody", "tr", "th", "td", "blockquote", "code", "pre", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set()}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def render_markup(source: str) -> str:
    # Headings start at h3: the page and the PDF own h1 (document) and h2 (agenda item).
    html = markdown.markdown(
        source or "",
        extensions=["tables", "sane_lists"],
        output_format="html",
    )
    html = html.replace("<h1>", "<h3>").replace("</h1>", "</h3>")
    html = html.replace("<h2>", "<h4>").replace("</h2>", "</h4>")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


# Where a block of our own HTML ends: a line break in the plain text, so that the words of
# two paragraphs, list items or table cells do not run together.
_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|td|th|tr|blockquote|pre)>|<br\s*/?>|<hr\s*/?>")


def plain_text(markup_html: str) -> str:
    """The words of render_markup's HTML, without tags or entities: what search reads and
    quotes in its snippets (the source would show its Markdown asterisks and dashes)."""
    text = html.unescape(strip_tags(_BLOCK_END.sub("\n", markup_html or "")))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())
