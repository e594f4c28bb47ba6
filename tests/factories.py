from datetime import datetime, time, timedelta

import factory
from factory.django import DjangoModelFactory

PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = "regions.User"
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = "Testi"
    last_name = factory.Sequence(lambda n: f"Henkilö {n}")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])


class OfficialFactory(UserFactory):
    organisation = factory.LazyFunction(lambda: organisation("STM"))


class RegionStaffFactory(UserFactory):
    region = factory.LazyFunction(lambda: region("vantaa-kerava"))


def organisation(code):
    """An organisation from the reference data loaded by the migrations."""
    from regions.models import Organisation

    return Organisation.objects.get(code=code)


def region(slug):
    from regions.models import Region

    return Region.objects.get(slug=slug)


class RoundFactory(DjangoModelFactory):
    """An open region round whose window runs from 10 days ago to 50 days ahead."""

    class Meta:
        model = "negotiations.Round"

    year = factory.Sequence(lambda n: 2030 + n)
    kind = "region"
    material_deadline = factory.LazyFunction(lambda: _today() + timedelta(days=5))
    window_start = factory.LazyFunction(lambda: _today() - timedelta(days=10))
    window_end = factory.LazyFunction(lambda: _today() + timedelta(days=50))
    comment_period_days = 14
    publication_target = factory.LazyFunction(lambda: _today() + timedelta(days=120))
    created_by = factory.SubFactory(OfficialFactory)


class NegotiationFactory(DjangoModelFactory):
    """A scheduled negotiation with region A, tomorrow 9–12 (Helsinki time)."""

    class Meta:
        model = "negotiations.Negotiation"

    round = factory.SubFactory(RoundFactory)
    region = factory.LazyFunction(lambda: region("vantaa-kerava"))
    language = "fi"
    starts_at = factory.LazyFunction(lambda: _at(_today() + timedelta(days=1), 9))
    ends_at = factory.LazyAttribute(lambda n: n.starts_at + timedelta(hours=3))
    chair = factory.SubFactory(OfficialFactory)
    place = "STM, Meritullinkatu 8"


def _today():
    from django.utils import timezone

    return timezone.localdate()


def _at(day, hour):
    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, time(hour, 0)))
