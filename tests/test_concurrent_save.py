"""Two officials saving the same minutes at the same moment (issue 13, point 9): on
PostgreSQL, with two real connections, one save wins and the other gets the conflict, never
an error. The lock once joined the editor's user row, which PostgreSQL re-checks after the
wait: when the winner had changed updated_by, the loser's row vanished (DoesNotExist)."""

import threading

import pytest
from django.db import connection

from minutes import services
from minutes.services import StaleMinutes
from tests.conftest import need_postgresql
from tests.factories import NegotiationFactory, OfficialFactory

PAIRS = 20


def _save(minutes_pk, by, revision, text, barrier, outcomes):
    from django.db import connections

    from minutes.models import Minutes

    try:
        minutes = Minutes.objects.get(pk=minutes_pk)
        barrier.wait(timeout=10)
        services.minutes_save_text(
            minutes=minutes, by=by, expected_revision=revision, participants=text, sections={},
        )  # fmt: skip
        outcomes.append("saved")
    except StaleMinutes:
        outcomes.append("conflict")
    except Exception as error:  # the defect: anything else is a 500 for the user
        outcomes.append(repr(error))
    finally:
        connections.close_all()


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_saves_give_one_winner_and_one_conflict():
    # serialized_rollback, as every transactional test here: a plain flush makes the
    # content types again under new keys, and the next test that reloads the saved
    # database then collides with them.
    need_postgresql()
    first, second = OfficialFactory(), OfficialFactory()
    minutes = services.minutes_start(negotiation=NegotiationFactory(), by=first)
    results = []
    for pair in range(PAIRS):
        minutes.refresh_from_db()
        barrier, outcomes = threading.Barrier(2), []
        # Alternate who saved last, so that every pair changes updated_by.
        editors = (first, second) if pair % 2 else (second, first)
        threads = [
            threading.Thread(
                target=_save,
                args=(minutes.pk, editor, minutes.revision, f"{pair}-{n}", barrier, outcomes),
            )
            for n, editor in enumerate(editors)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        results.append(sorted(outcomes))
    connection.close()
    assert results == [["conflict", "saved"]] * PAIRS
