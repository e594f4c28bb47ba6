"""Minutes text: a small Markdown, turned into HTML that is safe to show and to print.

Officials write headings, lists, emphasis, links and tables. Whatever they paste, the
HTML is rebuilt from an allow-list by nh3 (ammonia): no scripts, no event handlers, no
style attributes, no images and only http(s)/mailto links. The same function feeds the
preview, the region's review page and (later) the PDF, so all three show the same thing.
"""

import markdown
import nh3

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
