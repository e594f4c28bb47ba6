"""Full-text search over published protocols.

PostgreSQL: each protocol's text is stored as a vector parsed by the Finnish or Swedish
text-search configuration of its language; a query is matched and ranked against it with
websearch_to_tsquery (which accepts any input without a syntax error), and ts_headline makes
the snippets of the page shown, from the part of each text where the query's words first
occur. These are two SQL statements written out, with the query as a parameter: built from
ORM expressions, compiling them cost more than running them. Elsewhere (SQLite, the
embedded default): every word must occur, case-insensitive. Whatever the query holds, the
answer is results or none, never an error.
"""

import re

from django.contrib.postgres.search import SearchVector
from django.core.paginator import Page
from django.db import connection
from django.db.models import Q, prefetch_related_objects
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .markup import plain_text
from .models import Publication
from .public.selectors import ROW_FIELDS, counted_page, current_rows, page_bounds, page_of

# The national languages, the only ones a protocol is written in, and their configurations.
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
HEADLINE_OPTIONS = (
    f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=10, MaxFragments=2, "
    'FragmentDelimiter=" … "'
)

_TABLE = Publication._meta.db_table
_COLUMNS = ", ".join(
    "p." + (Publication._meta.pk if name == "pk" else Publication._meta.get_field(name)).column
    for name in ROW_FIELDS
)

# A page of the current protocols that match, best first, with their total count. Each is
# matched and ranked by its own language's configuration (the "@@" on the stored vector is
# what the GIN index of migration 0009 covers). The query is parsed in a scalar subquery,
# once per statement: under a prepared statement's generic plan PostgreSQL would otherwise
# parse it again for every row, which doubled the time of counting and ranking. "Current
# and not withdrawn" is `public.current_rows()` (the public-visibility rule) in SQL.
_RANKED = f"""
SELECT {_COLUMNS}, COUNT(*) OVER () AS total
FROM {_TABLE} p
WHERE p.is_current AND p.withdrawn_at IS NULL AND (
    (p.language = 'fi'
     AND p.search_vector @@ (SELECT websearch_to_tsquery('finnish', %(query)s)))
    OR (p.language = 'sv'
        AND p.search_vector @@ (SELECT websearch_to_tsquery('swedish', %(query)s)))
)
ORDER BY ts_rank(p.search_vector, CASE p.language
    WHEN 'fi' THEN (SELECT websearch_to_tsquery('finnish', %(query)s))
    ELSE (SELECT websearch_to_tsquery('swedish', %(query)s)) END) DESC, p.id DESC
LIMIT %(limit)s OFFSET %(offset)s
"""  # noqa: S608 - only our own table and column names; the query is a parameter

# Word breaks become spaces (one for one, so positions stay; translate() would be ten times
# slower), so that a stem is looked for after a space: at the start of a word, not inside
# one.
_SPACED = "lower(p.search_text)"
for _number in range(len(WORD_BREAKS)):
    _SPACED = f"replace({_SPACED}, %(break{_number})s, ' ')"

# {id: snippet} of the given protocols. ts_headline parses all of the text it is given,
# about 0.5 ms for a protocol, so it is given WINDOW characters from BEFORE ahead of the
# first word that begins with one of the query's stems: those it searches for, as
# querytree() keeps them ('T' when there are none), not those it excludes; a one-letter
# stem begins too many words to say where. No such word, or `window` false: the whole text.
_SNIPPETS = f"""
SELECT p.id, ts_headline(q.config, COALESCE(w.part, p.search_text), q.query, %(options)s)
FROM {_TABLE} p
CROSS JOIN LATERAL (
    SELECT config, websearch_to_tsquery(config, %(query)s) AS query
    FROM (SELECT (CASE p.language WHEN 'sv' THEN 'swedish' ELSE 'finnish' END)::regconfig
          AS config) language
) q
LEFT JOIN LATERAL (
    SELECT substr(p.search_text, GREATEST(1, min(first) - {BEFORE:d}), {WINDOW:d}) AS part
    FROM (
        SELECT NULLIF(strpos(' ' || {_SPACED}, ' ' || lexeme), 0) AS first
        FROM unnest(tsvector_to_array(to_tsvector('simple', querytree(q.query)))) AS lexeme
        WHERE length(lexeme) > 1 AND %(window)s
    ) found
    HAVING min(first) IS NOT NULL
) w ON true
WHERE p.id = ANY(%(pks)s)
"""  # noqa: S608 - only our own table and column names; values are parameters


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
    if connection.vendor == "postgresql":
        number, start = page_bounds(page_number, PAGE_SIZE)
        params = {"query": query, "limit": PAGE_SIZE, "offset": start}
        page = page_of(list(Publication.objects.raw(_RANKED, params)), number, PAGE_SIZE)
        snippets = _snippets(query, [row.pk for row in page.object_list], window=True)
        # A window around the wrong word (a stem that begins another word too) marks
        # nothing: those few are made again from their whole text.
        missed = [pk for pk, snippet in snippets.items() if START not in snippet]
        if missed:
            snippets.update(_snippets(query, missed, window=False))
    else:
        page = counted_page(_fallback(query), page_number, PAGE_SIZE)
        words = query.split()[:MAX_WORDS]
        snippets = {row.pk: _snippet(row.search_text, words) for row in page.object_list}
    rows = page.object_list
    prefetch_related_objects(rows, "region", "cooperation_area")
    page.object_list = [(row, _highlight(snippets[row.pk])) for row in rows]
    return page


def _snippets(query: str, pks: list, *, window: bool) -> dict:
    """{pk: snippet with START/STOP around the matches} for these publications."""
    if not pks:
        return {}
    params = {"query": query, "pks": pks, "window": window, "options": HEADLINE_OPTIONS}
    params.update({f"break{number}": mark for number, mark in enumerate(WORD_BREAKS)})
    with connection.cursor() as cursor:
        cursor.execute(_SNIPPETS, params)
        return dict(cursor.fetchall())


def protocol_words(party_names, year: int, snapshot: dict) -> str:
    """The published text as plain words, for search and its snippets: the party's names,
    the year, the sections, the conclusions and the follow-up actions."""
    parts = [*party_names, str(year), plain_text(snapshot.get("conclusions_html", ""))]
    for section in snapshot["sections"]:
        parts += [section["heading"], plain_text(section["html"])]
    parts += [action["text"] for action in snapshot.get("actions", [])]
    parts += [item["text"] for item in snapshot.get("items", [])]
    parts += [row["text"] for row in snapshot.get("assessments", [])]
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
