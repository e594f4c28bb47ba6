from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from regions import reference


class Command(BaseCommand):
    help = "Create or update cooperation areas, regions and organisations from the shipped CSV."

    def handle(self, *args, **options):
        with transaction.atomic():
            counts = reference.load(apps)
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))
