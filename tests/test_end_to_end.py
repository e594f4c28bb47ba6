"""The whole year in a real browser, as each person plays it (issue 7, item 1).

An official opens a round, schedules two regions, edits one agenda and attaches THL
material; the region's staff upload their observations; the official writes the minutes
and sends them for review; the staff comment on a section; the official answers,
approves and publishes; an anonymous visitor searches, opens the protocol, downloads the
PDF and finds it in the Atom feed. Once in Finnish (Vantaa–Kerava) and once in Swedish
(Pohjanmaa, whose negotiation language is Swedish).
"""

import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from minutes.models import MinutesVersion, Publication
from negotiations.models import Document, Negotiation
from tests.browser import Steps, confirm, login, no_form_errors, submit
from tests.factories import OfficialFactory, RegionStaffFactory, region

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# One row per language: the region played through, the second region scheduled, and a
# word that appears only in the minutes' text (so the search can only find it there).
CASES = {
    "fi": ("vantaa-kerava", "lappi", "Kotihoitojonot", "Kotihoitojonot lyhenivät selvästi."),
    "sv": ("pohjanmaa", "vantaa-kerava", "Hemvårdsköerna", "Hemvårdsköerna blev klart kortare."),
}
THL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
OBSERVATIONS_CSV = b"a;b\n1;2\n"


@pytest.fixture
def real_worker(settings, tmp_path):
    """On the real stack, a Celery worker on the test database renders and mails for the
    live server, as in production; on the embedded default, Celery is eager and this is
    a no-op."""
    if django_settings.CELERY_TASK_ALWAYS_EAGER:
        yield None
        return
    import os
    import uuid

    from tests.conftest import start_worker, tasks_routed_to, worker_database_url

    queue = f"test-e2e-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    log_path = tmp_path / "worker.log"
    worker = start_worker(queue=queue, hostname=queue, env=env, log_path=log_path)
    try:
        with tasks_routed_to(queue):
            yield log_path
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except Exception:
            worker.kill()
            worker.wait()


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_whole_year_in_the_browser(live_server, browser, language, real_worker):
    slug, other_slug, word, text = CASES[language]
    base = f"{live_server.url}/{language}"
    official = OfficialFactory()
    staff = RegionStaffFactory(region=region(slug))
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    steps = Steps(language)
    official_context = browser.new_context()
    staff_context = browser.new_context()
    public_context = browser.new_context(accept_downloads=True)

    page = official_context.new_page()
    with steps.step("1-official-login", page):
        login(page, base, official)

    with steps.step("1a-open-round", page):
        page.goto(f"{base}/workspace/rounds/new/")
        # This year's round: a negotiation may start at most a year from its round's year.
        page.fill("#id_year", str(today.year))
        page.select_option("#id_kind", "region")
        page.fill("#id_material_deadline", (today + timedelta(days=5)).isoformat())
        page.fill("#id_window_start", (today - timedelta(days=10)).isoformat())
        page.fill("#id_window_end", (today + timedelta(days=50)).isoformat())
        page.fill("#id_comment_period_days", "14")
        page.fill("#id_publication_target", (today + timedelta(days=120)).isoformat())
        assert page.input_value("#id_agenda_template"), "the agenda template is not prefilled"
        submit(page, "main form button[type=submit]")
        no_form_errors(page)
        assert re.search(r"/workspace/rounds/\d+/$", page.url), page.url
        dashboard = page.url

    with steps.step("1b-schedule-two-regions", page):
        for party, hour in ((slug, 9), (other_slug, 13)):
            page.goto(dashboard)
            page.click(f'a[href*="/schedule/{party}/"]')
            page.wait_for_url(re.compile(rf"/schedule/{party}/$"))
            page.fill("#id_starts_at", f"{tomorrow.isoformat()}T{hour:02d}:00")
            page.fill("#id_ends_at", f"{tomorrow.isoformat()}T{hour + 3:02d}:00")
            assert page.input_value("#id_language") == ("sv" if party == "pohjanmaa" else "fi")
            page.fill("#id_place", "STM, Meritullinkatu 8")
            submit(page, "main form button[type=submit]")
            no_form_errors(page)
            assert re.search(r"/workspace/negotiations/\d+/$", page.url), page.url
        negotiation = Negotiation.objects.get(region__slug=slug)
        assert negotiation.language == language
        assert Negotiation.objects.filter(round=negotiation.round).count() == 2
        detail = f"{base}/workspace/negotiations/{negotiation.pk}/"

    with steps.step("1c-edit-agenda", page):
        page.goto(detail)
        page.click(f'a[href$="/negotiations/{negotiation.pk}/agenda/"]')
        before = negotiation.agenda_items.count()
        assert before > 0, "the agenda was not made from the template"
        page.fill(
            "#id_title", "Alueen erityiskysymykset" if language == "fi" else "Särskilda frågor"
        )
        submit(page, "main form:has(#id_title) button[type=submit]")
        no_form_errors(page)
        assert negotiation.agenda_items.count() == before + 1

    with steps.step("1d-attach-thl-material", page):
        page.goto(detail)
        form = page.locator(f'form[action$="/negotiations/{negotiation.pk}/documents/new/"]')
        form.locator("#id_title").fill("THL:n asiantuntija-arvio")
        form.locator("#id_kind").select_option("thl_assessment")
        form.locator("#id_language").select_option(language)
        form.locator("#id_file").set_input_files(
            {"name": "thl.pdf", "mimeType": "application/pdf", "buffer": THL_PDF}
        )
        submit(page, f'form[action$="/negotiations/{negotiation.pk}/documents/new/"] button')
        no_form_errors(page)
        assert negotiation.documents.filter(kind="thl_assessment").count() == 1

    staff_page = staff_context.new_page()
    with steps.step("2-region-uploads-observations", staff_page):
        login(staff_page, base, staff)
        staff_page.goto(detail)
        form = staff_page.locator(f'form[action$="/negotiations/{negotiation.pk}/documents/new/"]')
        form.locator("#id_title").fill("Alueen havainnot" if language == "fi" else "Observationer")
        form.locator("#id_file").set_input_files(
            {"name": "havainnot.csv", "mimeType": "text/csv", "buffer": OBSERVATIONS_CSV}
        )
        submit(staff_page, f'form[action$="/negotiations/{negotiation.pk}/documents/new/"] button')
        no_form_errors(staff_page)
        uploaded = negotiation.documents.exclude(kind="thl_assessment").get()
        assert uploaded.uploaded_by == staff, uploaded
        assert uploaded.kind == Document.Kind.REGION_OBSERVATIONS

    with steps.step("3-official-writes-and-sends-minutes", page):
        page.goto(detail)
        submit(page, f'form[action$="/negotiations/{negotiation.pk}/minutes/start/"] button')
        minutes = Negotiation.objects.get(pk=negotiation.pk).minutes
        assert minutes.language == language
        page.goto(f"{base}/workspace/minutes/{minutes.pk}/edit/")
        section = minutes.sections.order_by("position").first()
        page.fill(f"#id_section_{section.pk}", text)
        submit(page, "#minutes-editor button[type=submit]:not([name=preview])")
        no_form_errors(page)
        section.refresh_from_db()
        assert section.body == text
        page.goto(f"{base}/workspace/minutes/{minutes.pk}/")
        submit(page, 'form[action$="/send/"] button')
        minutes.refresh_from_db()
        assert minutes.status == "in_review"

    with steps.step("4-region-comments", staff_page):
        staff_page.goto(detail)
        staff_page.click('a[href*="/versions/"]')
        staff_page.wait_for_url(re.compile(r"/versions/1/$"))
        disclosure = staff_page.locator(f'details:has(input[name="section"][value="{section.pk}"])')
        disclosure.locator("summary").click()
        body = "Luvut puuttuvat." if language == "fi" else "Siffrorna saknas."
        disclosure.locator(f"#body-{section.pk}").fill(body)
        with staff_page.expect_navigation():
            disclosure.locator("button[type=submit]").click()
        version = MinutesVersion.objects.get(minutes=minutes, number=1)
        comment = version.comments.get()
        assert (comment.author, comment.section_id, comment.body) == (staff, section.pk, body)

    with steps.step("5a-official-answers", page):
        page.goto(f"{base}/workspace/minutes/{minutes.pk}/versions/1/")
        page.check(f'form[action$="/comments/{comment.pk}/answer/"] input[value="partly"]')
        page.fill(f"#reason-{comment.pk}", "Luvut lisätään liitteeksi.")
        submit(page, f'form[action$="/comments/{comment.pk}/answer/"] button')
        comment.refresh_from_db()
        assert comment.answer.decision == "partly"

    with steps.step("5b-official-approves-and-publishes", page):
        page.goto(f"{base}/workspace/minutes/{minutes.pk}/")
        assert page.locator("#id_override_reason").count() == 0
        submit(page, 'form[action$="/approve/"] button')
        minutes.refresh_from_db()
        assert minutes.status != "approved", "approved without confirmation"
        confirm(page)
        minutes.refresh_from_db()
        assert minutes.status == "approved", minutes.status
        submit(page, 'form[action$="/publish/"] button')
        confirm(page)
        minutes.refresh_from_db()
        assert minutes.status == "published", minutes.status
        publication = Publication.objects.get(version__minutes=minutes)

    with steps.step("6-pdf-rendered", page):
        # Approval queued the render: eagerly in-process on the embedded default, through
        # Redis to the real worker on the real stack.
        deadline = time.monotonic() + 90
        pdf = None
        while time.monotonic() < deadline:
            pdf = publication.version.pdfs.filter(language=language).first()
            if pdf is not None and pdf.status in ("done", "failed"):
                break
            time.sleep(0.3)
        worker_log = real_worker.read_text() if real_worker else ""
        assert pdf is not None and pdf.status == "done", (pdf and pdf.error, worker_log[-3000:])

    public = public_context.new_page()
    with steps.step("7a-public-search", public):
        public.goto(f"{base}/search/?q={word}")
        link = public.locator(f'ol.search-results a[href$="/protocols/{publication.pk}/"]')
        assert link.count() == 1, public.locator("main").inner_text()
        with public.expect_navigation():
            link.click()
        assert word in public.locator("main").inner_text()

    with steps.step("7b-public-pdf", public):
        with public.expect_download() as download_info:
            public.click(f'a[href$="/protocols/{publication.pk}/protocol.pdf"]')
        data = Path(download_info.value.path()).read_bytes()
        assert data.startswith(b"%PDF"), data[:20]

    with steps.step("7c-public-feed", public):
        response = public.request.get(f"{base}/feeds/protocols.atom")
        assert response.ok, response.status
        assert f"/protocols/{publication.pk}/" in response.text()

    for context in (official_context, staff_context, public_context):
        context.close()

    # Every page the year went through, for every person, passes axe-core.
    assert not steps.accessibility, steps.accessibility
