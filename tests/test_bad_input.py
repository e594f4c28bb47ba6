"""Bad input that used to become a 500 or a row no page could show."""

import importlib
from datetime import UTC, date, datetime

import pytest
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import Resolver404, resolve

from negotiations.models import Negotiation
from tests.conftest import need_postgresql
from tests.factories import NegotiationFactory, RoundFactory

pytestmark = pytest.mark.django_db


def schedule(client, round_, start, end, chair):
    return client.post(
        f"/fi/workspace/rounds/{round_.pk}/schedule/lappi/",
        {
            "starts_at": start,
            "ends_at": end,
            "language": "fi",
            "place": "Valtioneuvoston linna",
            "chair": chair.pk,
            "confirm_outside_window": "on",
        },
    )


@pytest.mark.parametrize(
    "start,end",
    [
        ("0001-01-01T00:00", "0001-01-01T02:00"),
        ("2026-05-01T09:00", "9999-12-31T23:59"),
        ("1999-12-31T09:00", "1999-12-31T11:00"),
        ("2101-01-01T09:00", "2101-01-01T11:00"),
    ],
)
def test_a_date_outside_the_sane_range_is_a_form_error(client, official, start, end):
    round_ = RoundFactory()
    client.force_login(official)
    response = schedule(client, round_, start, end, official)
    assert response.status_code == 200
    assert not Negotiation.objects.exists()
    errors = response.context["form"].errors
    assert errors.keys() & {"starts_at", "ends_at"}
    assert "2000" in str(errors)  # the range, said in words
    assert client.get("/fi/").status_code == 200


def test_round_form_refuses_dates_outside_the_range(client, official):
    client.force_login(official)
    response = client.post(
        "/fi/workspace/rounds/new/",
        {
            "year": "2026",
            "kind": "region",
            "material_deadline": "0001-01-01",
            "window_start": "2026-03-01",
            "window_end": "9999-12-31",
            "comment_period_days": "14",
            "publication_target": "9999-12-31",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"material_deadline", "window_end"}


def _store_bad_negotiation(**fields):
    negotiation = NegotiationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Negotiation.objects.filter(pk=negotiation.pk).update(**fields)


def test_database_refuses_a_year_one_negotiation():
    _store_bad_negotiation(starts_at=datetime(1, 1, 2, tzinfo=UTC))


def test_database_refuses_a_negotiation_ending_9999():
    _store_bad_negotiation(ends_at=datetime(9999, 12, 31, tzinfo=UTC))


def test_database_refuses_a_round_date_outside_the_range():
    round_ = RoundFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(round_).objects.filter(pk=round_.pk).update(window_end=date(9999, 12, 31))


def test_year_one_on_postgresql_is_a_form_error_and_the_front_page_stands(client, official):
    need_postgresql()
    test_a_date_outside_the_sane_range_is_a_form_error(
        client, official, "0001-01-01T00:00", "0001-01-01T02:00"
    )
    _store_bad_negotiation(starts_at=datetime(1, 1, 2, tzinfo=UTC))


def test_media_folder_is_not_served_even_with_debug(client, settings):
    """A stored document's path under /media/ answers 404: files go through the
    access-checked download views only."""
    import steering.urls

    with override_settings(DEBUG=True):
        urls = importlib.reload(steering.urls)
        try:
            with pytest.raises(Resolver404):
                resolve("/media/documents/some.pdf", urlconf=urls)
        finally:
            importlib.reload(steering.urls)
