"""Full-text search over published protocols.

PostgreSQL: the Finnish or Swedish text-search configuration by the protocol's language,
websearch_to_tsquery (which accepts any input without a syntax error) and ts_headline
snippets. Elsewhere (SQLite, the embedded default): every word must occur, case-insensitive.
Whatever the query holds, the answer is results or none, never an error.
"""

import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .public import current_publications

MAX_QUERY = 200
MAX_WORDS = 10
START, STOP = "\x02", "\x03"


def normalise(query: str) -> str:
    query = "".join(ch for ch in (query or "") if ch.isprintable())
    return " ".join(query.split())[:MAX_QUERY]


def _highlight(raw: str) -> str:
    """Escape the snippet, then turn the markers into <mark>: user text never becomes HTML."""
    html = escape(raw).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own <mark> tags added


def search(query: str, limit: int = 20):
    query = normalise(query)
    if not query:
        return []
    if connection.vendor == "postgresql":
        return _postgres(query, limit)
    return _fallback(query, limit)


def _postgres(query: str, limit: int):
    # Each protocol is searched with the configuration of its own language, so that
    # Finnish and Swedish inflections both find their base forms.
    results = []
    for language, name in (("fi", "finnish"), ("sv", "swedish")):
        search_query = SearchQuery(query, config=name, search_type="websearch")
        vector = SearchVector("search_text", config=name)
        rows = (
            current_publications()
            .filter(version__snapshot__language=language)
            # "@@" against the same expression as the GIN index (migration 0006).
            .annotate(document=vector)
            .filter(document=search_query)
            .annotate(rank=SearchRank(vector, search_query))
            .annotate(
                snippet=SearchHeadline(
                    "search_text",
                    search_query,
                    config=name,
                    start_sel=START,
                    stop_sel=STOP,
                    max_words=30,
                    min_words=10,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                )
            )
            .order_by("-rank")[:limit]
        )
        results += [(row, _highlight(row.snippet)) for row in rows]
    results.sort(key=lambda pair: -pair[0].rank)
    return results[:limit]


def _fallback(query: str, limit: int):
    words = query.split()[:MAX_WORDS]
    rows = current_publications()
    for word in words:
        rows = rows.filter(Q(search_text__icontains=word))
    results = []
    for row in rows[:limit]:
        results.append((row, _highlight(_snippet(row.search_text, words))))
    return results


def _snippet(text: str, words: list[str], width: int = 90) -> str:
    lowered = text.lower()
    first = min((i for w in words if (i := lowered.find(w.lower())) >= 0), default=0)
    start = max(0, first - width)
    piece = text[start : first + width * 2]
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    marked = pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", piece)
    return ("…" if start else "") + " ".join(marked.split()) + "…"
