"""manage.py check_protocol_files: look for the file of every finished protocol PDF and
render again those that are missing (the reconciler does the same for a sample per run)."""

from django.core.management.base import BaseCommand

from minutes.services.protocols import protocols_check_files


class Command(BaseCommand):
    help = "Check that every finished protocol PDF has its file; render missing ones again."

    def handle(self, *args, **options):
        missing = protocols_check_files(limit=None)
        self.stdout.write(f"{missing} missing protocol PDF(s) queued to be rendered again")
