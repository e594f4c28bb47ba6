from django.core.management.base import BaseCommand

from steering.outbox import drain


class Command(BaseCommand):
    help = "Send the queued tasks that the broker could not take when they were written."

    def handle(self, *args, **options):
        sent = drain()
        self.stdout.write(f"{sent} outbox message(s) sent")
