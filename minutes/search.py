"""Full-text search over published protocols, on either back end, with the same results.

PostgreSQL: each protocol's text is stored as a vector parsed by the Finnish or Swedish
text-search configuration of its language (`search_vector`, at publication); a query is
matched and ranked against it as websearch_to_tsquery reads it (any input, never a syntax
error), and ts_headline makes the snippets of the page shown: `django.contrib.postgres`.

SQLite (the embedded default): the same Snowball stemmers PostgreSQL uses (the
`snowballstemmer` package, at the version of PostgreSQL 15's), and PostgreSQL's stop-word
lists, make the words of each text into stems stored in an FTS5 table (migration 0022),
in the column of its language; the query is read as websearch_to_tsquery reads it, its
words stemmed the same way, matched and ranked by bm25. FTS5 can only quote the stems it
holds, so the snippets are made here from the text, marking the words whose stems match.

The index holds every publication's words, as `search_vector` does: what the public may
see is decided by `public.current_rows()` in the query, so a correction (a newer
publication) or a withdrawal changes nothing in it.
"""

import functools
import re
import threading
from itertools import islice
from pathlib import Path

import snowballstemmer
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, F, Q, Value, When, prefetch_related_objects
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .markup import plain_text
from .models import Publication
from .public.selectors import current_rows

# The national languages, the only ones a protocol is written in, and their configurations
# (also the names of the Snowball stemmers and of the stop-word lists).
CONFIGS = {"fi": "finnish", "sv": "swedish"}
MAX_QUERY = 200
PAGE_SIZE = 10
START, STOP = "\x02", "\x03"
# ts_headline's options, which the SQLite snippets follow too: two fragments of at most
# 30 words around the matches.
MAX_WORDS, MIN_WORDS, MAX_FRAGMENTS, DELIMITER = 30, 10, 2, " … "
# Words before the first match of a fragment.
LEAD = 5
# PostgreSQL's headline is made from this many characters of the text, starting this many
# before the first match: two fragments of 30 words fit in it.
WINDOW, BEFORE = 900, 300

WORDS_TABLE = "minutes_publication_words"
# A word as FTS5's unicode61 tokenizer and PostgreSQL's parser see one: letters and digits.
WORD = re.compile(r"[^\W_]+")
# websearch_to_tsquery's pieces: a phrase in quotes (to the end if unclosed) or a run of
# anything else but spaces, each perhaps excluded by a leading "-".
_PIECE = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')


def normalise(query: str) -> str:
    query = "".join(ch for ch in (query or "") if ch.isprintable())
    return " ".join(query.split())[:MAX_QUERY]


def _highlight(raw: str) -> str:
    """Escape the snippet, then turn the markers into <mark>: user text never becomes HTML."""
    html = escape(raw).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own <mark> tags added


def search(query: str, page_number=1) -> Page | None:
    """One page of results, best first (equals newest first), as (publication, snippet)
    pairs; None for no query.

    Raises InvalidPage for a page that does not exist. Snippets are made for the page's
    rows only: making one means reading the text again.
    """
    query = normalise(query)
    if not query:
        return None
    if connection.vendor == "postgresql":
        page, snippets = _postgresql(query, page_number)
    else:
        page, snippets = _sqlite(query, page_number)
    rows = page.object_list
    prefetch_related_objects(rows, "region", "cooperation_area")
    page.object_list = [(row, _highlight(snippets[row.pk])) for row in rows]
    return page


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


def store_search_vector(publication: Publication) -> None:
    """The text as its own language is searched: PostgreSQL's vector by the language's
    configuration, or SQLite's row of stems. Called once, when published."""
    if connection.vendor == "postgresql":
        vector = SearchVector("search_text", config=CONFIGS[publication.language])
        Publication.objects.filter(pk=publication.pk).update(search_vector=vector)
        return
    stems = " ".join(index_stems(publication.search_text, publication.language))
    columns = {language: stems if language == publication.language else "" for language in CONFIGS}
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {WORDS_TABLE} WHERE rowid = %s", [publication.pk])  # noqa: S608
        cursor.execute(
            f"INSERT INTO {WORDS_TABLE} (rowid, fi, sv) VALUES (%s, %s, %s)",  # noqa: S608
            [publication.pk, columns["fi"], columns["sv"]],
        )


def fill_search_vectors(schema_editor) -> None:
    """Every publication's vector made again from its search text (PostgreSQL; for
    migrations that change the texts, which run before SQLite's index exists)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for language, config in CONFIGS.items():
        schema_editor.execute(
            "UPDATE minutes_publication SET search_vector = "
            "to_tsvector(%s::regconfig, COALESCE(search_text, '')) WHERE language = %s",
            [config, language],
        )


# PostgreSQL


def _postgresql(query: str, page_number) -> tuple[Page, dict]:
    queries = {
        language: SearchQuery(query, search_type="websearch", config=config)
        for language, config in CONFIGS.items()
    }
    matching = Q()
    for language, search_query in queries.items():
        matching |= Q(language=language, search_vector=search_query)
    rank = Case(
        *(
            When(language=language, then=SearchRank(F("search_vector"), search_query))
            for language, search_query in queries.items()
        )
    )
    rows = current_rows().filter(matching).annotate(rank=rank).order_by("-rank", "-pk")
    rows = rows.annotate(text=F("search_text"))
    page = Paginator(rows, PAGE_SIZE).page(page_number)
    page.object_list = list(page.object_list)
    if not page.object_list:
        return page, {}
    # ts_headline parses all the text it is given, about 0.5 ms for a protocol: it is
    # given a window around the first word whose stem the query looks for, found here by
    # the same Snowball stemmers (the whole text when none is found), one CASE branch a
    # row so that each headline is made once.
    alternatives = read_query(query)
    marked = {language: _fts_query(alternatives, language)[2] for language in CONFIGS}
    headline = Case(
        *(
            When(
                pk=row.pk,
                then=SearchHeadline(
                    Value(_window(row.text, row.language, marked[row.language])),
                    queries[row.language],
                    config=CONFIGS[row.language],
                    start_sel=START,
                    stop_sel=STOP,
                    max_words=MAX_WORDS,
                    min_words=MIN_WORDS,
                    max_fragments=MAX_FRAGMENTS,
                    fragment_delimiter=DELIMITER,
                ),
            )
            for row in page.object_list
        )
    )
    pks = [row.pk for row in page.object_list]
    snippets = dict(
        Publication.objects.filter(pk__in=pks)
        .annotate(snippet=headline)
        .values_list("pk", "snippet")
    )
    return page, snippets


# SQLite


@functools.cache
def _stop_words(language: str) -> frozenset:
    path = Path(__file__).with_name("stopwords") / f"{CONFIGS[language]}.txt"
    return frozenset(path.read_text(encoding="utf-8").split())


_stemmers = threading.local()


@functools.lru_cache(maxsize=200_000)
def stem(language: str, word: str) -> str:
    """The stem of a lower-case word, as PostgreSQL's configuration of the language makes
    it; "" for a stop word. Cached: the pure-Python stemmer takes about 0.1 ms a word,
    and its instances are not safe to share between threads."""
    if word in _stop_words(language):
        return ""
    stemmers = _stemmers.__dict__
    if language not in stemmers:
        stemmers[language] = snowballstemmer.stemmer(CONFIGS[language])
    return stemmers[language].stemWord(word)


def index_stems(text: str, language: str) -> list[str]:
    """What the index holds of a text: the stems of its words, stop words left out."""
    stems = (stem(language, word) for word in WORD.findall(text.lower()))
    return [found for found in stems if found]


def read_query(query: str) -> list[list[tuple[bool, list[str]]]]:
    """The query as websearch_to_tsquery reads it: alternatives (joined by "or"), each a
    list of (excluded, words) terms that must all hold; more than one word is a phrase.
    "or" is a word itself where it has no term on both sides."""
    pieces = []
    for match in _PIECE.finditer(query):
        if match.group(2) is not None:
            pieces.append((bool(match.group(1)), match.group(2), True))
        else:
            pieces.append((bool(match.group(3)), match.group(4), False))
    alternatives, terms = [], []
    for index, (excluded, text, quoted) in enumerate(pieces):
        words = WORD.findall(text.lower())
        if not words:
            continue
        is_or = not quoted and not excluded and text.lower() == "or"
        if is_or and terms and any(WORD.search(piece[1]) for piece in pieces[index + 1 :]):
            alternatives.append(terms)
            terms = []
            continue
        terms.append((excluded, words))
    if terms:
        alternatives.append(terms)
    return alternatives


def _fts_query(alternatives, language: str) -> tuple[str, str, set]:
    """(what must match, what must not when nothing must, the stems to mark) in FTS5's
    syntax for the language's column. Stems are quoted strings: the query's own quotes and
    operators never reach FTS5."""
    matching, excluded_only, marked = [], [], set()
    for terms in alternatives:
        included, excluded = [], []
        for is_excluded, words in terms:
            stems = [found for found in (stem(language, word) for word in words) if found]
            if not stems:
                continue
            phrase = '"' + " ".join(stems) + '"'
            (excluded if is_excluded else included).append(phrase)
            if not is_excluded:
                marked.update(stems)
        if included:
            expression = " AND ".join(included)
            for phrase in excluded:
                expression = f"({expression}) NOT {phrase}"
            matching.append(f"({expression})")
        elif excluded and len(alternatives) == 1:
            # Only words to leave out ("-talous"): every protocol without them.
            excluded_only = excluded
    column = f"{language} : "
    return (
        column + "(" + " OR ".join(matching) + ")" if matching else "",
        column + "(" + " OR ".join(excluded_only) + ")" if excluded_only else "",
        marked,
    )


# Only our own table's name in these; the match expression is a parameter.
_FOUND = f"SELECT rowid FROM {WORDS_TABLE} WHERE {WORDS_TABLE} MATCH %s"  # noqa: S608
_RANKED = f"SELECT rowid, bm25({WORDS_TABLE}) FROM {WORDS_TABLE} WHERE {WORDS_TABLE} MATCH %s"  # noqa: S608


def _sqlite(query: str, page_number) -> tuple[Page, dict]:
    """The visible matches are found by the index and `current_rows()`, then ranked here
    by bm25 from one read of the index: ranking in SQL asked FTS5 again for every row
    (a correlated bm25 subquery), 0.7 s for 230 matches instead of a few milliseconds."""
    alternatives = read_query(query)
    compiled = {language: _fts_query(alternatives, language) for language in CONFIGS}
    matching = " OR ".join(f"({m})" for m, _, _ in compiled.values() if m)
    excluding = " OR ".join(f"({e})" for _, e, _ in compiled.values() if e)
    visible = current_rows()
    if matching:
        with connection.cursor() as cursor:
            cursor.execute(_RANKED, [matching])
            ranks = dict(cursor.fetchall())
        visible = visible.filter(pk__in=RawSQL(_FOUND, [matching]))  # noqa: S611
    elif excluding:
        ranks = {}
        visible = visible.exclude(pk__in=RawSQL(_FOUND, [excluding]))  # noqa: S611
    else:
        ranks, visible = {}, visible.none()
    # bm25: the lower, the better; then the newest first, as on PostgreSQL.
    order = sorted(visible.values_list("pk", flat=True), key=lambda pk: (ranks.get(pk, 0), -pk))
    page = Paginator(order, PAGE_SIZE).page(page_number)
    rows = current_rows().annotate(text=F("search_text")).in_bulk(page.object_list)
    page.object_list = [rows[pk] for pk in page.object_list]
    snippets = {
        row.pk: _snippet(row.text, row.language, compiled[row.language][2])
        for row in page.object_list
    }
    return page, snippets


def _hits(text: str, language: str, marked: set) -> dict:
    """{start: end} of the words of the text whose stems are marked, in order."""
    hits = {}
    if marked:
        # A Snowball stem keeps a word's first two letters, so only the words that begin
        # as a stem does are stemmed, found by one regular expression (word by word in
        # Python, a text of 7,600 characters took 9 ms).
        heads = "|".join(re.escape(head) for head in sorted({found[:2] for found in marked}))
        candidates = re.compile(rf"(?<![^\W_])(?:{heads})[^\W_]*", re.IGNORECASE)
        for candidate in candidates.finditer(text):
            if stem(language, candidate.group().lower()) in marked:
                hits[candidate.start()] = candidate.end()
    return hits


def _window(text: str, language: str, marked: set) -> str:
    """WINDOW characters of the text from BEFORE ahead of its first match, from a word's
    start; the whole text if none."""
    first = next(iter(_hits(text, language, marked)), None)
    if first is None:
        return text
    start = max(0, first - BEFORE)
    while 0 < start < first and WORD.match(text, start - 1):
        start += 1
    return text[start : start + WINDOW]


def _snippet(text: str, language: str, marked: set) -> str:
    """ts_headline's snippet of the text, made the same way: up to two fragments of up to
    MAX_WORDS words, each from a little before a match, the words found marked; with no
    match, the text's first MIN_WORDS words."""
    hits = _hits(text, language, marked)
    fragments, end = [], 0
    for start in hits:
        if start < end:
            continue
        if len(fragments) == MAX_FRAGMENTS:
            break
        lead = max(end, start - 40 * LEAD)
        before = list(WORD.finditer(text, lead, start))
        if before and lead > end and lead > 0 and WORD.match(text, lead - 1):
            before = before[1:]  # the part of a word cut at `lead`
        before = before[-LEAD:]
        words = before + list(islice(WORD.finditer(text, start), MAX_WORDS - len(before)))
        fragments.append(words)
        end = words[-1].end()
    if not fragments:
        fragments = [list(islice(WORD.finditer(text), MIN_WORDS))]
    parts = []
    for words in fragments:
        if not words:
            continue
        piece, at = [], words[0].start()
        for word in words:
            piece.append(text[at : word.start()])
            piece.append(f"{START}{word.group()}{STOP}" if word.start() in hits else word.group())
            at = word.end()
        parts.append("".join(piece))
    return DELIMITER.join(parts)
