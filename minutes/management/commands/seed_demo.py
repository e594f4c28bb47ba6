from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from minutes import demo as minutes_demo
from negotiations import demo as negotiations_demo
from regions import demo as regions_demo


class Command(BaseCommand):
    help = "Create or refresh the demo data and logins. Safe to run again; refused in production."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_demo creates known passwords and is refused in production.")
        logins = regions_demo.seed()
        for line in [*negotiations_demo.seed(), *minutes_demo.seed()]:
            self.stdout.write(f"Created {line}.")
        self.stdout.write(
            self.style.SUCCESS(f"Demo logins (password for all: {regions_demo.DEMO_PASSWORD}):")
        )
        width = max(len(username) for username, _ in logins)
        for username, description in logins:
            self.stdout.write(f"  {username.ljust(width)}  {description}")
