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


# --- Minutes, versions, publications --------------------------------------------------------
# Made through the services, as an official would: the factories' own _create calls them,
# so a version is frozen, events are written and the PDF is asked for as in real use. No
# PDF is rendered unless a test asks (render=True): rendering costs a WeasyPrint run.

AGENDA = ("Avaus", "Talous", "Pelastustoimi")


class MinutesFactory(DjangoModelFactory):
    """Started minutes of a negotiation with a three-item agenda; `sections` gives the
    bodies by heading ({"Talous": "..."}), saved with `participants`."""

    class Meta:
        model = "minutes.Minutes"

    by = factory.SubFactory(OfficialFactory)
    negotiation = factory.SubFactory(NegotiationFactory, chair=factory.SelfAttribute("..by"))
    agenda = AGENDA
    sections = None
    participants = "- Sanna Ministeri, STM"

    @classmethod
    def _create(cls, model_class, *, by, negotiation, agenda, sections, participants):
        from minutes import services

        for position, title in enumerate(agenda, start=1):
            negotiation.agenda_items.create(position=position, title=title)
        minutes = services.minutes_start(negotiation=negotiation, by=by)
        if sections is None and not participants:
            return minutes
        bodies = sections or {}
        return services.minutes_save_text(
            minutes=minutes, by=by, expected_revision=minutes.revision,
            participants=participants,
            sections={s.pk: bodies.get(s.heading, "") for s in minutes.sections.all()},
        )  # fmt: skip


class VersionFactory(DjangoModelFactory):
    """A version of the minutes: sent for review, or (approved=True, the default) sent
    and approved. `render=True` renders its PDF as the worker would."""

    class Meta:
        model = "minutes.MinutesVersion"

    minutes = factory.SubFactory(MinutesFactory)
    approved = True
    render = False

    @classmethod
    def _create(cls, model_class, *, minutes, approved, render):
        from minutes import services

        by = minutes.negotiation.chair
        version = services.minutes_send_for_review(minutes=minutes, by=by)
        if approved:
            version = services.minutes_approve(minutes=minutes, by=by)
        minutes.refresh_from_db()
        if render:
            render_pdf_of(version)
        return version


def render_pdf_of(version):
    """What the worker does with the queued render: on commit in a transactional test
    (eager Celery has done it already), by hand inside a test's transaction."""
    from minutes.models import ProtocolPDF
    from minutes.services import protocols

    pdf = ProtocolPDF.objects.filter(version=version).first()
    if pdf is None:
        protocols.protocol_request(version=version)
    if pdf is None or pdf.status == ProtocolPDF.Status.QUEUED:
        protocols.protocol_render(version.pk, version.snapshot["language"])


class PublicationFactory(DjangoModelFactory):
    """A published protocol (its PDF rendered only with render=True)."""

    class Meta:
        model = "minutes.Publication"

    version = factory.SubFactory(VersionFactory)
    note = ""
    render = False

    @classmethod
    def _create(cls, model_class, *, version, note, render):
        from minutes.services import publishing

        minutes = version.minutes
        publication = publishing.protocol_publish(
            minutes=minutes, by=minutes.negotiation.chair, note=note
        )
        if render:
            render_pdf_of(publication.version)
        return publication


def attach(official, negotiation, title, *, public=True, language="fi"):
    """A document of the negotiation, marked to be published with the protocol or not."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from negotiations import services as negotiation_services

    return negotiation_services.document_add(
        by=official, uploaded_file=SimpleUploadedFile("a.pdf", b"%PDF-1.7\n%%EOF\n"),
        max_bytes=10**6, negotiation=negotiation, language=language, title=title,
        kind="thl_assessment" if public else "ministry_observations",
        publicity="public" if public else "internal",
    )  # fmt: skip


def approved_version(
    official, *, slug="vantaa-kerava", language="fi", sections=None, render=False, material=()
):
    """Approved minutes of region `slug`, chaired by `official`. `material`: keyword
    arguments of `attach` for documents uploaded before approval."""
    negotiation = NegotiationFactory(region=region(slug), language=language, chair=official)
    for document in material:
        attach(official, negotiation, **document)
    minutes = MinutesFactory(negotiation=negotiation, by=official, sections=sections or {})
    return VersionFactory(minutes=minutes, render=render)


def rendered_version(official, *, render=True, **kwargs):
    """approved_version with its PDF rendered unless told not to, for the modules whose
    tests mostly read or publish the PDF."""
    return approved_version(official, render=render, **kwargs)


def published(official, slug="vantaa-kerava", *, render=False, **kwargs):
    """A published protocol of region `slug` (keyword arguments of approved_version)."""
    version = approved_version(official, slug=slug, **kwargs)
    return PublicationFactory(version=version, render=render)


def revised(official, publication, text):
    """The published protocol's minutes, corrected: "Talous" rewritten, approved again."""
    from minutes import services
    from minutes.services import publishing

    minutes = publication.version.minutes
    publishing.minutes_start_correction(minutes=minutes, by=official)
    minutes.refresh_from_db()
    talous = minutes.sections.get(heading="Talous")
    services.minutes_save_text(
        minutes=minutes, by=official, expected_revision=minutes.revision,
        participants=minutes.participants,
        sections={talous.pk: text},
    )  # fmt: skip
    services.minutes_approve(minutes=minutes, by=official)
    return minutes


def start_minutes(official, negotiation=None):
    """Minutes with two agenda items, "Talous" and "Henkilöstö", nothing written yet."""
    return MinutesFactory(
        by=official,
        negotiation=negotiation or NegotiationFactory(),
        agenda=("Talous", "Henkilöstö"),
        participants="",
    )


def sent_minutes(official, negotiation=None, body="Talouden tilanne on vakaa."):
    """Minutes with text in the first section, sent to the region as version 1."""
    from minutes import services

    minutes = start_minutes(official, negotiation)
    section = minutes.sections.order_by("position").first()
    minutes = services.minutes_save_text(
        minutes=minutes, by=official, expected_revision=minutes.revision,
        participants=minutes.participants, sections={section.pk: body},
    )  # fmt: skip
    version = services.minutes_send_for_review(minutes=minutes, by=official)
    minutes.refresh_from_db()
    return minutes, version
