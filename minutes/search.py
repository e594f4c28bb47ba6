"""Full-text search over published protocols.

PostgreSQL: each protocol's text is stored as a vector parsed by the Finnish or Swedish
text-search configuration of its language; a query is matched and ranked against it with
websearch_to_tsquery (which accepts any input without a syntax error), and ts_headline makes
the snippets of the page shown. Elsewhere (SQLite, the embedded default): every word must
occur, case-insensitive. Whatever the query holds, the answer is results or none, never an error.
"""

import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, F, FloatField, Q, TextField, Value, When
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import Publication
from .public import ROW_FIELDS, Parties, current_rows, with_urls

CONFIGS = {"fi": "finnish", "sv": "swedish"}
MAX_QUERY = 200
PAGE_SIZE = 10
MAX_WORDS = 10
START, STOP = "\x02", "\x03"


def normalise(query: str) -> str:
    query = "".join(ch for ch in (query or "") if ch.isprintable())
    return " ".join(query.split())[:MAX_QUERY]


def _highlight(raw: str) -> str:
    """Escape the snippet, then turn the markers into <mark>: user text never becomes HTML."""
    html = escape(raw).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own <mark> tags added


def search(query: str, page_number=1) -> Page | None:
    """One page of results, best first, as (publication, snippet) pairs; None for no query.

    Raises InvalidPage for a page that does not exist. Snippets are made for the page's
    rows only: making one means parsing the whole text again.
    """
    query = normalise(query)
    if not query:
        return None
    postgres = connection.vendor == "postgresql"
    rows = _postgres(query) if postgres else _fallback(query)
    page = Paginator(rows, PAGE_SIZE).page(page_number)
    if postgres:
        snippets = dict(
            Publication.objects.filter(pk__in=[row.pk for row in page.object_list])
            .annotate(snippet=_headline(query))
            .values_list("pk", "snippet")
        )
    else:
        words = query.split()[:MAX_WORDS]
        snippets = {row.pk: _snippet(row.search_text, words) for row in page.object_list}
    rows = with_urls(Parties().attach(page.object_list))
    page.object_list = [(row, _highlight(snippets[row.pk])) for row in rows]
    return page


def store_search_vector(publication: Publication) -> None:
    """The text as its own language's configuration parses it (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        return
    vector = SearchVector("search_text", config=CONFIGS[publication.language])
    Publication.objects.filter(pk=publication.pk).update(search_vector=vector)


def _by_language(make, output_field):
    """`make(config)` for each row's own language: Finnish or Swedish inflections."""
    return Case(
        *[When(language=language, then=make(config)) for language, config in CONFIGS.items()],
        default=Value(None),
        output_field=output_field,
    )


def _postgres(query: str):
    matches = Q()
    for language, config in CONFIGS.items():
        # "@@" on the stored vector, which the GIN index covers (migration 0009).
        matches |= Q(language=language, search_vector=_query(query, config))
    rank = _by_language(
        lambda config: SearchRank(F("search_vector"), _query(query, config)), FloatField()
    )
    return current_rows().filter(matches).annotate(rank=rank).order_by("-rank", "-pk")


def _query(query: str, config: str) -> SearchQuery:
    # websearch syntax accepts any input without a syntax error.
    return SearchQuery(query, config=config, search_type="websearch")


def _headline(query: str):
    return _by_language(
        lambda config: SearchHeadline(
            "search_text", _query(query, config), config=config,
            start_sel=START, stop_sel=STOP, max_words=30, min_words=10, max_fragments=2,
            fragment_delimiter=" … ",
        ),
        TextField(),
    )  # fmt: skip


def _fallback(query: str):
    words = query.split()[:MAX_WORDS]
    rows = current_rows().only(*ROW_FIELDS, "search_text")
    for word in words:
        rows = rows.filter(Q(search_text__icontains=word))
    return rows


def _snippet(text: str, words: list[str], width: int = 90) -> str:
    lowered = text.lower()
    first = min((i for w in words if (i := lowered.find(w.lower())) >= 0), default=0)
    start = max(0, first - width)
    piece = text[start : first + width * 2]
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    marked = pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", piece)
    return ("…" if start else "") + " ".join(marked.split()) + "…"
