"""Demo logins: one per position, so every screen can be tried on the embedded default."""

from django.db import transaction

from .models import Organisation, Region, User

# Printed by `make run`; seed_demo refuses to run in production.
DEMO_PASSWORD = "ohjaus-demo-2026"  # noqa: S105

OFFICIALS = [
    # username, organisation code, first name, last name, title
    ("stm.virkailija", "STM", "Sanna", "Ministeri", "neuvotteleva virkamies"),
    ("vm.virkailija", "VM", "Ville", "Valtio", "finanssineuvos"),
    ("sm.virkailija", "SM", "Sirpa", "Sisä", "pelastusneuvos"),
]
REGION_STAFF = [
    # username, region slug, first name, last name, title
    ("vantaa-kerava.alue", "vantaa-kerava", "Veera", "Vantaa", "strategiajohtaja"),
    ("pohjanmaa.alue", "pohjanmaa", "Peter", "Österbotten", "utvecklingsdirektör"),
    ("lappi.alue", "lappi", "Liisa", "Lappi", "hyvinvointialuejohtaja"),
]
ADMINISTRATOR = ("yllapitaja", "Ylläpitäjä", "Portaali", "pääkäyttäjä")


def _upsert(username: str, **fields) -> User:
    user, created = User.objects.get_or_create(username=username, defaults=fields)
    if not created:
        for name, value in fields.items():
            setattr(user, name, value)
    # Resetting the password each run keeps the printed logins true after someone
    # changed one while trying the password-change page.
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


@transaction.atomic
def seed() -> list[tuple[str, str]]:
    """Create or refresh the demo logins; returns (username, description) pairs."""
    logins = []
    for username, code, first, last, title in OFFICIALS:
        organisation = Organisation.objects.get(code=code)
        _upsert(
            username,
            first_name=first,
            last_name=last,
            title=title,
            email=f"{username}@example.org",
            organisation=organisation,
            region=None,
        )
        logins.append((username, f"ministry official, {organisation.name_en}"))
    for username, slug, first, last, title in REGION_STAFF:
        region = Region.objects.get(slug=slug)
        _upsert(
            username,
            first_name=first,
            last_name=last,
            title=title,
            email=f"{username}@example.org",
            region=region,
            organisation=None,
        )
        logins.append((username, f"region staff, {region.name_en}"))
    username, first, last, title = ADMINISTRATOR
    _upsert(
        username,
        first_name=first,
        last_name=last,
        title=title,
        email=f"{username}@example.org",
        is_staff=True,
        is_superuser=True,
    )
    logins.append((username, "administrator (Django admin)"))
    return logins
