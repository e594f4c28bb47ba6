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
