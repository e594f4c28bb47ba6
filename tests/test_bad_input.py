"""Bad input that used to become a 500 or a row no page could show."""

import importlib
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import Resolver404, resolve
from django.utils import timezone

from negotiations.models import Negotiation, Participant
from tests.conftest import need_postgresql
from tests.factories import NegotiationFactory, RoundFactory, _at

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


# --- Point 19: no 500 from NUL or over-long input --------------------------------------------


def test_a_100000_character_username_at_login_is_a_form_error(client):
    response = client.post("/fi/accounts/login/", {"username": "a" * 100_000, "password": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_a_nul_in_the_username_at_login_is_a_form_error(client):
    response = client.post("/fi/accounts/login/", {"username": "stm\x00", "password": "x"})
    assert response.status_code == 200


def test_a_nul_in_participant_names_is_not_stored(client, official):
    round_ = RoundFactory()
    client.force_login(official)
    start = timezone.localtime(_at(round_.window_start + timedelta(days=12), 9))
    response = client.post(
        f"/fi/workspace/rounds/{round_.pk}/schedule/lappi/",
        {
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "language": "fi",
            "place": "Valtioneuvoston linna",
            "chair": official.pk,
            "confirm_outside_window": "on",
            "experts": "Tutkija\x00 Terttu; THL",
        },
    )
    assert response.status_code < 500
    assert all("\x00" not in name for name in Participant.objects.values_list("name", flat=True))


def test_a_nul_in_a_withdrawal_reason_is_refused_without_a_500(client, official):
    from tests.factories import published

    publication = published(official)
    client.force_login(official)
    response = client.post(
        f"/fi/workspace/minutes/{publication.version.minutes.pk}/withdraw/",
        {"publication": publication.pk, "reason": "Virhe\x00 tekstissä", "confirmed": "1"},
    )
    assert response.status_code < 500
    publication.refresh_from_db()
    assert "\x00" not in publication.withdrawal_reason


def test_no_500_from_bad_input_on_postgresql(client, official):
    need_postgresql()
    test_a_100000_character_username_at_login_is_a_form_error(client)
    test_a_nul_in_the_username_at_login_is_a_form_error(client)
    test_a_nul_in_participant_names_is_not_stored(client, official)
    test_a_nul_in_a_withdrawal_reason_is_refused_without_a_500(client, official)


# --- Point 20: a file name that is not UTF-8 -------------------------------------------------


def _multipart(fields: dict, filename: bytes, content: bytes) -> bytes:
    parts = [
        b'--BOUND\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
        % (key.encode(), value.encode())
        for key, value in fields.items()
    ]
    parts.append(
        b'--BOUND\r\nContent-Disposition: form-data; name="file"; filename="%s"\r\n'
        b"Content-Type: application/pdf\r\n\r\n%s\r\n--BOUND--\r\n" % (filename, content)
    )
    return b"".join(parts)


def test_a_file_name_that_is_not_utf8_is_named_as_the_reason(client, official):
    round_ = RoundFactory()
    client.force_login(official)
    client.get(f"/fi/workspace/rounds/{round_.pk}/documents/new/")
    body = _multipart(
        {"title": "Arvio", "kind": "thl_assessment", "language": "fi"},
        "Äänestys.pdf".encode("latin-1"),
        b"%PDF-1.7\n" + b"0" * 4000 + b"\n%%EOF\n",
    )
    response = client.generic(
        "POST",
        f"/fi/workspace/rounds/{round_.pk}/documents/new/",
        body,
        content_type="multipart/form-data; boundary=BOUND",
    )
    errors = " ".join(str(e) for e in response.context["form"].errors["file"])
    assert "UTF-8" in errors
    assert "vaaditaan" not in errors


def test_an_empty_file_field_still_says_required(client, official):
    round_ = RoundFactory()
    client.force_login(official)
    response = client.post(
        f"/fi/workspace/rounds/{round_.pk}/documents/new/",
        {"title": "Arvio", "kind": "thl_assessment", "language": "fi"},
    )
    assert "UTF-8" not in " ".join(response.context["form"].errors["file"])


def test_round_form_states_real_integer_limits(client, official):
    client.force_login(official)
    response = client.post(
        "/fi/workspace/rounds/new/",
        {
            "year": "99999999999999999999",
            "kind": "region",
            "material_deadline": "2026-02-01",
            "window_start": "2026-03-01",
            "window_end": "2026-04-01",
            "comment_period_days": "99999999999999999999",
            "publication_target": "2026-06-01",
        },
    )
    assert response.status_code == 200
    text = str(response.context["form"].errors)
    assert "2100" in text and "90" in text
    digits = text.replace("\xa0", "").replace(" ", "")
    assert "9223372036854775807" not in digits and "32767" not in digits


def test_a_stored_document_path_under_media_answers_404_for_everyone(
    client, official, staff_a, staff_b
):
    from tests.factories import attach

    negotiation = NegotiationFactory(region=region_of(staff_a))
    document = attach(official, negotiation, "Arvio")
    path = f"/media/{document.file.name}"
    assert client.get(path).status_code == 404
    for user in (official, staff_a, staff_b):
        client.force_login(user)
        assert client.get(path).status_code == 404
    # The access-checked view still serves it to those who may read it.
    client.force_login(official)
    assert client.get(f"/fi/workspace/documents/{document.pk}/").status_code == 200


def region_of(user):
    return user.region
