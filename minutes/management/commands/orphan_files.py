"""manage.py orphan_files [--delete]: files in storage that no row refers to.

Stored files are written before their row commits, so a crash in between (or a write whose
outer transaction rolled back) can leave a file behind. This lists them, and removes them
with --delete. Files younger than --min-age-minutes are left alone: their row may be about
to commit.
"""

from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils import timezone

from minutes.models import ItemReport, ProtocolPDF
from negotiations.models import Document

# Where the portal stores files: protocol PDFs and uploaded documents.
PREFIXES = ("protocols", "documents")


def stored_names(directory: str):
    try:
        directories, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{directory}/{name}"
    for child in directories:
        yield from stored_names(f"{directory}/{child}")


def orphan_files(*, min_age: timedelta) -> list[str]:
    referenced = set(ProtocolPDF.objects.exclude(file="").values_list("file", flat=True))
    referenced |= set(Document.objects.values_list("file", flat=True))
    referenced |= set(ItemReport.objects.exclude(file="").values_list("file", flat=True))
    cutoff = timezone.now() - min_age
    return [
        name
        for prefix in PREFIXES
        for name in stored_names(prefix)
        if name not in referenced and default_storage.get_modified_time(name) < cutoff
    ]


class Command(BaseCommand):
    help = (
        "List files in storage that no protocol PDF or document refers to; --delete removes them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="Remove the files found.")
        parser.add_argument("--min-age-minutes", type=int, default=60)

    def handle(self, *args, delete, min_age_minutes, **options):
        found = orphan_files(min_age=timedelta(minutes=min_age_minutes))
        for name in found:
            if delete:
                default_storage.delete(name)
            self.stdout.write(f"{'removed' if delete else 'orphan'} {name}")
        self.stdout.write(
            f"{len(found)} orphan file(s) {'removed' if delete else 'found'}"
            + ("" if delete or not found else "; run with --delete to remove them")
        )
