"""Full-text search over published protocols.

PostgreSQL: each protocol's text is stored as a vector parsed by the Finnish or Swedish
text-search configuration of its language; a query is matched and ranked against it with
websearch_to_tsquery (which accepts any input without a syntax error), and ts_headline makes
the snippets of the page shown, from the part of each text where the query's words first
occur. Elsewhere (SQLite, the embedded default): every word must occur, case-insensitive.
Whatever the query holds, the answer is results or none, never an error.
"""

import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.core.paginator import Page
from django.db import connection
from django.db.models import Case, F, FloatField, Func, Q, TextField, Value, When
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .markup import plain_text
from .models import Publication
from .public import ROW_FIELDS, Parties, counted_page, current_rows, with_urls

CONFIGS = {"fi": "finnish", "sv": "swedish"}
MAX_QUERY = 200
PAGE_SIZE = 10
MAX_WORDS = 10
START, STOP = "\x02", "\x03"
# The snippet is made from this many characters of the text, starting this many before the
# first place a word of the query occurs: two fragments of 30 words fit in it.
WINDOW, BEFORE = 900, 300
# What begins a word besides a space, for finding where a word begins. A stem after
# anything else is not found and the snippet is made from the whole text instead.
WORD_BREAKS = ("\n", "\t", "(", '"', "-", "/")


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
    rows only: making one means parsing text again.
    """
    query = normalise(query)
    if not query:
        return None
    postgres = connection.vendor == "postgresql"
    rows = _postgres(query) if postgres else _fallback(query)
    page = counted_page(rows, page_number, PAGE_SIZE)
    if postgres:
        snippets = _snippets(query, [row.pk for row in page.object_list], window=True)
        # A window around the wrong word (a stem that begins another word too) marks
        # nothing: those few are made again from their whole text.
        missed = [pk for pk, snippet in snippets.items() if START not in snippet]
        if missed:
            snippets.update(_snippets(query, missed, window=False))
    else:
        words = query.split()[:MAX_WORDS]
        snippets = {row.pk: _snippet(row.search_text, words) for row in page.object_list}
    rows = with_urls(Parties().attach(page.object_list))
    page.object_list = [(row, _highlight(snippets[row.pk])) for row in rows]
    return page


def protocol_words(party_names, year: int, snapshot: dict) -> str:
    """The published text as plain words, for search and its snippets: the party's names,
    the year, the sections, the conclusions and the follow-up actions."""
    parts = [*party_names, str(year), plain_text(snapshot["conclusions_html"])]
    for section in snapshot["sections"]:
        parts += [section["heading"], plain_text(section["html"])]
    parts += [action["text"] for action in snapshot["actions"]]
    return "\n".join(part for part in parts if part)


def fill_search_vectors(schema_editor) -> None:
    """Every publication's vector made again from its search text (PostgreSQL; for
    migrations that change the texts)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for language, config in CONFIGS.items():
        schema_editor.execute(
            "UPDATE minutes_publication SET search_vector = "
            "to_tsvector(%s::regconfig, COALESCE(search_text, '')) WHERE language = %s",
            [config, language],
        )


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


class _ParsedOnce(SearchQuery):
    """`(SELECT websearch_to_tsquery(...))`: PostgreSQL parses the query once per statement.
    Under the generic plan of a prepared statement it would otherwise parse it again for
    every row, which doubled the time of counting and ranking."""

    template = "(SELECT %(function)s(%(expressions)s))"


def _query(query: str, config: str) -> SearchQuery:
    # websearch syntax accepts any input without a syntax error.
    return _ParsedOnce(query, config=config, search_type="websearch")


class _MatchWindow(Func):
    """WINDOW characters of a text, from BEFORE characters ahead of the first word that
    begins with one of the query's stems (those it searches for, not those it excludes);
    the whole text when no word does.

    ts_headline parses all of the text it is given, about 0.5 ms for a protocol: given the
    window instead of the whole text, ten snippets cost a tenth as much.
    """

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra_context):
        (text, text_params), (tsquery, tsquery_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        # Word breaks become spaces (one for one, so positions stay; translate() would be
        # ten times slower), and a stem is looked for after a space: at the start of a
        # word, not inside one. querytree() keeps the terms searched for ('T' when there
        # are none); a one-letter stem begins too many words to say where. No stem found
        # gives no row, so NULL, so the whole text.
        spaced = f"lower({text})"
        for _ in WORD_BREAKS:
            spaced = f"replace({spaced}, %s, ' ')"
        # Only our own SQL and the compiled expressions' placeholders: values are params.
        sql = (
            f"COALESCE((SELECT substr({text}, GREATEST(1, first - {BEFORE:d}), {WINDOW:d}) "  # noqa: S608
            f"FROM (SELECT min(NULLIF(strpos(' ' || {spaced}, ' ' || lexeme), 0)) AS first "
            f"FROM unnest(tsvector_to_array(to_tsvector('simple', querytree({tsquery})))) "
            f"AS lexeme WHERE length(lexeme) > 1) AS found WHERE first IS NOT NULL), {text})"
        )
        params = (
            *text_params, *text_params, *WORD_BREAKS, *tsquery_params, *text_params
        )  # fmt: skip
        return sql, params


def _snippets(query: str, pks: list, *, window: bool) -> dict:
    """{pk: snippet with START/STOP around the matches} for these publications."""
    return dict(
        Publication.objects.filter(pk__in=pks)
        .annotate(snippet=_headline(query, window=window))
        .values_list("pk", "snippet")
    )


def _headline(query: str, *, window: bool):
    def headline(config):
        tsquery = _query(query, config)
        text = _MatchWindow(F("search_text"), tsquery) if window else F("search_text")
        return SearchHeadline(
            text, tsquery, config=config, start_sel=START, stop_sel=STOP, max_words=30,
            min_words=10, max_fragments=2, fragment_delimiter=" … ",
        )  # fmt: skip

    return _by_language(headline, TextField())


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
