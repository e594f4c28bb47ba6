"""Each status machine's one table: every move it lists is made and leaves its history
row; every other move, over the whole matrix, is refused and changes nothing."""

import itertools

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from minutes import services
from minutes.models import (
    MINUTES_TRANSITIONS,
    PDF_TRANSITIONS,
    Minutes,
    MinutesEvent,
    ProtocolPDF,
    TransitionRefused,
)
from minutes.services import protocols
from negotiations import services as negotiation_services
from negotiations.models import ROUND_TRANSITIONS, Round, RoundEvent
from tests.factories import MinutesFactory, RoundFactory, VersionFactory

pytestmark = pytest.mark.django_db

MOVES = [MinutesEvent.Action.SENT, MinutesEvent.Action.REVISING, MinutesEvent.Action.APPROVED,
         MinutesEvent.Action.PUBLISHED, MinutesEvent.Action.CORRECTION]  # fmt: skip
MINUTES_MATRIX = list(itertools.product(Minutes.Status, Minutes.Status, MOVES))


def _minutes_in(status, official) -> Minutes:
    minutes = MinutesFactory(by=official)
    Minutes.objects.filter(pk=minutes.pk).update(status=status)
    minutes.refresh_from_db()
    return minutes


@pytest.mark.parametrize(("source", "target", "action"), MINUTES_MATRIX)
def test_minutes_move_only_as_the_table_says(official, source, target, action):
    minutes = _minutes_in(source, official)
    events = MinutesEvent.objects.filter(minutes=minutes).count()
    if MINUTES_TRANSITIONS[source].get(target) == action:
        event = services.move_to(minutes, target, action, official)
        assert Minutes.objects.get(pk=minutes.pk).status == target
        assert (event.action, event.by) == (action, official)
        assert MinutesEvent.objects.filter(minutes=minutes).count() == events + 1
    else:
        with pytest.raises(TransitionRefused) as refused:
            services.move_to(minutes, target, action, official)
        assert isinstance(refused.value, ValidationError)  # the views show it as a message
        assert refused.value.current == source
        assert Minutes.objects.get(pk=minutes.pk).status == source
        assert MinutesEvent.objects.filter(minutes=minutes).count() == events


def test_a_refused_move_reads_as_a_message_in_the_users_language(official):
    minutes = _minutes_in(Minutes.Status.DRAFT, official)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.minutes_approve(minutes=minutes, by=official)
    assert refused.value.messages == ["This cannot be done while the minutes are draft."]


def test_the_pages_offer_what_the_table_allows(official):
    minutes = _minutes_in(Minutes.Status.IN_REVIEW, official)
    assert minutes.may_start_revision and minutes.may_be_approved
    assert not minutes.may_be_published and not minutes.is_editable
    minutes = _minutes_in(Minutes.Status.APPROVED, official)
    assert minutes.may_be_published and not minutes.may_be_approved


@pytest.mark.parametrize(
    ("source", "target"), list(itertools.product(ProtocolPDF.Status, ProtocolPDF.Status))
)
def test_pdf_moves_only_as_the_table_says(official, source, target):
    version = VersionFactory(minutes=MinutesFactory(by=official))
    pdf = ProtocolPDF.objects.get(version=version)
    ProtocolPDF.objects.filter(pk=pdf.pk).update(status=source)
    pdf.refresh_from_db()
    if target in PDF_TRANSITIONS[source]:
        assert protocols.pdf_move(pdf, target, error="x")
        assert ProtocolPDF.objects.get(pk=pdf.pk).status == target == pdf.status
    else:
        with pytest.raises(TransitionRefused):
            protocols.pdf_move(pdf, target, error="x")
        assert ProtocolPDF.objects.get(pk=pdf.pk).status == source


def test_a_pdf_move_from_a_state_overtaken_is_not_written(official):
    """A render that failed after an official's retry queued it again does not mark the
    new attempt failed."""
    version = VersionFactory(minutes=MinutesFactory(by=official))
    pdf = ProtocolPDF.objects.get(version=version)
    ProtocolPDF.objects.filter(pk=pdf.pk).update(status=ProtocolPDF.Status.RENDERING)
    pdf.refresh_from_db()
    ProtocolPDF.objects.filter(pk=pdf.pk).update(status=ProtocolPDF.Status.DONE)
    assert not protocols.pdf_move(pdf, ProtocolPDF.Status.FAILED, error="late")
    assert ProtocolPDF.objects.get(pk=pdf.pk).status == ProtocolPDF.Status.DONE


@pytest.mark.parametrize(("source", "target"), list(itertools.product(Round.Status, Round.Status)))
def test_rounds_move_only_as_the_table_says(official, source, target):
    round_ = RoundFactory(created_by=official)
    Round.objects.filter(pk=round_.pk).update(status=source)
    events = RoundEvent.objects.filter(round=round_).count()
    action = ROUND_TRANSITIONS[source].get(target)
    if action:
        negotiation_services.round_move(round_, target, official, refusal="no")
        assert Round.objects.get(pk=round_.pk).status == target
        assert RoundEvent.objects.filter(round=round_, action=action).count() == 1
    else:
        with pytest.raises(ValidationError):
            negotiation_services.round_move(round_, target, official, refusal="no")
        assert Round.objects.get(pk=round_.pk).status == source
        assert RoundEvent.objects.filter(round=round_).count() == events
