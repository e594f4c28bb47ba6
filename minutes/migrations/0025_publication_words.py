"""SQLite's search index (FTS5): each publication's stems in its language's column, rowid
the publication's id. PostgreSQL stores its vector on the publication instead."""

import re
from pathlib import Path

import snowballstemmer
from django.db import migrations

CONFIGS = {"fi": "finnish", "sv": "swedish"}
# Frozen here, as minutes.search makes them when publishing: a later change there must not
# change what this migration did.
WORD = re.compile(r"[^\W_]+")
STOP_WORDS = Path(__file__).resolve().parent.parent / "stopwords"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    # remove_diacritics 0: "ä" and "a" are different letters in Finnish and Swedish.
    schema_editor.execute(
        "CREATE VIRTUAL TABLE minutes_publication_words USING fts5("
        "fi, sv, tokenize = 'unicode61 remove_diacritics 0')"
    )
    Publication = apps.get_model("minutes", "Publication")
    for language, config in CONFIGS.items():
        stemmer = snowballstemmer.stemmer(config)
        stop = frozenset((STOP_WORDS / f"{config}.txt").read_text(encoding="utf-8").split())
        rows = Publication.objects.filter(language=language).values_list("pk", "search_text")
        for pk, text in rows.iterator():
            words = [word for word in WORD.findall(text.lower()) if word not in stop]
            stems = " ".join(found for found in stemmer.stemWords(words) if found)
            schema_editor.execute(
                f"INSERT INTO minutes_publication_words (rowid, {language}) VALUES (%s, %s)",  # noqa: S608
                [pk, stems],
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS minutes_publication_words")


class Migration(migrations.Migration):
    dependencies = [("minutes", "0024_minutestranslation")]

    operations = [migrations.RunPython(create, drop)]
