import csv
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from regions.models import CooperationArea, Organisation, Region, User

REFERENCE = Path(__file__).resolve().parent.parent / "regions" / "reference"

pytestmark = pytest.mark.django_db


def test_twenty_three_regions_with_three_names_each_in_their_area():
    regions = list(Region.objects.select_related("cooperation_area"))
    assert len(regions) == 23
    for region in regions:
        assert region.name_fi and region.name_sv and region.name_en, region.slug
        assert region.cooperation_area is not None
    kinds = {region.slug: region.kind for region in regions}
    assert kinds["helsinki"] == Region.Kind.CITY
    assert kinds["hus"] == Region.Kind.HUS_GROUP
    assert sum(kind == Region.Kind.WELFARE_AREA for kind in kinds.values()) == 21


def test_regions_match_the_shipped_csv_exactly():
    with (REFERENCE / "regions.csv").open(encoding="utf-8") as handle:
        rows = {row["slug"]: row for row in csv.DictReader(handle)}
    for region in Region.objects.select_related("cooperation_area"):
        row = rows[region.slug]
        assert region.name_sv == row["name_sv"]
        assert "+".join(region.languages) == row["languages"]
        assert region.cooperation_area.slug == row["cooperation_area"]


def test_five_cooperation_areas_each_with_its_university_hospital_region():
    areas = CooperationArea.objects.select_related("university_hospital_region")
    assert areas.count() == 5
    hosts = {area.slug: area.university_hospital_region.slug for area in areas}
    assert hosts["etela-suomi"] == "hus"
    assert hosts["pohjois-suomi"] == "pohjois-pohjanmaa"
    # Each host region lies in the area it serves.
    for area in areas:
        assert area.university_hospital_region.cooperation_area_id == area.pk
    assert sum(area.regions.count() for area in areas) == 23


def test_organisations_are_three_ministries_and_thl():
    kinds = dict(Organisation.objects.values_list("code", "kind"))
    assert kinds == {
        "STM": Organisation.Kind.MINISTRY,
        "VM": Organisation.Kind.MINISTRY,
        "SM": Organisation.Kind.MINISTRY,
        "THL": Organisation.Kind.AGENCY,
    }


def test_bilingual_regions_and_swedish_majority():
    ostrobothnia = Region.objects.get(slug="pohjanmaa")
    assert ostrobothnia.languages == ["sv", "fi"]
    assert Region.objects.get(slug="kainuu").languages == ["fi"]


def test_names_follow_the_active_language():
    from django.utils import translation

    region = Region.objects.get(slug="pohjanmaa")
    for code, expected in (("fi", region.name_fi), ("sv", region.name_sv), ("en", region.name_en)):
        with translation.override(code):
            assert str(region) == expected


def test_loading_again_changes_nothing():
    before = list(Region.objects.order_by("slug").values())
    call_command("load_reference", verbosity=0)
    assert list(Region.objects.order_by("slug").values()) == before
    assert CooperationArea.objects.count() == 5


def test_database_refuses_a_user_on_both_sides():
    stm = Organisation.objects.get(code="STM")
    region = Region.objects.get(slug="kainuu")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="both", organisation=stm, region=region)


def test_model_validation_explains_the_one_side_rule():
    user = User(
        username="both",
        organisation=Organisation.objects.get(code="VM"),
        region=Region.objects.get(slug="kainuu"),
    )
    user.set_unusable_password()
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        user.full_clean()
    assert "either to an organisation or to a region, not both" in str(excinfo.value)


def test_a_region_cannot_repeat_its_language():
    region = Region.objects.get(slug="kainuu")
    region.second_language = "fi"
    with pytest.raises(IntegrityError), transaction.atomic():
        region.save()


def test_reference_data_is_editable_in_the_admin(client, administrator):
    client.force_login(administrator)
    region = Region.objects.get(slug="kainuu")
    response = client.get(f"/fi/admin/regions/region/{region.pk}/change/")
    assert response.status_code == 200
    assert region.name_fi in response.content.decode()
    for model in ("cooperationarea", "organisation", "user"):
        assert client.get(f"/fi/admin/regions/{model}/").status_code == 200


def _region_reads(client, path) -> int:
    """Queries of one request that read the regions (with the public page cache off)."""

    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return sum('FROM "regions_region"' in query["sql"] for query in queries)


@pytest.fixture
def uncached(settings):
    settings.PUBLIC_PAGE_CACHE = False


@pytest.mark.parametrize("path", ["/fi/", "/fi/protocols/"])
def test_public_pages_read_the_regions_once_per_page(client, uncached, path):
    assert _region_reads(client, path) == 1
    assert _region_reads(client, path) == 1


def test_a_saved_region_is_read_again_at_once(client, django_capture_on_commit_callbacks):
    """Also on a cached page: a change of a region or area drops the cached public pages."""
    client.get("/fi/")
    region = Region.objects.get(slug="lappi")
    region.name_fi = "Lapin uusi hyvinvointialue"
    with django_capture_on_commit_callbacks(execute=True):
        region.save()
    assert "Lapin uusi hyvinvointialue" in client.get("/fi/").content.decode()


def test_a_region_changed_behind_the_process_shows_on_the_next_uncached_page(client, uncached):
    """A change no signal announced (a bulk update): no process keeps its own read."""
    client.get("/fi/")
    Region.objects.filter(slug="lappi").update(name_fi="Lapin muutettu nimi")
    assert "Lapin muutettu nimi" in client.get("/fi/").content.decode()


def test_shared_regions_keep_each_languages_addresses(client):
    """The areas and regions are shared between requests: a Swedish page's addresses must
    not leak into the Finnish one."""
    assert 'href="/sv/regions/lappi/"' in client.get("/sv/").content.decode()
    finnish = client.get("/fi/").content.decode()
    assert 'href="/fi/regions/lappi/"' in finnish
    assert "/sv/regions/" not in finnish


def test_an_area_without_regions_is_a_filter_but_no_empty_list(client):
    CooperationArea.objects.create(slug="tyhja", name_fi="Tyhjä alue", name_sv="Tomt område")
    listing = client.get("/fi/protocols/").content.decode()
    assert '<option value="tyhja">Tyhjä alue</option>' in listing
    front = client.get("/fi/").content.decode()
    assert "Tyhjä alue" not in front
    assert front.count('<ul class="region-list">') == 5


def test_another_processs_change_shows_once_the_public_cache_is_cleared(client):
    """Another process renamed a region (no signal here) and cleared the shared cache of
    the public pages, as its commit does: this process shows the new name at once."""
    from minutes.public.cache import clear_now

    client.get("/fi/")
    Region.objects.filter(slug="lappi").update(name_fi="Lapin toisen prosessin nimi")
    clear_now()
    assert "Lapin toisen prosessin nimi" in client.get("/fi/").content.decode()


def test_saving_a_field_the_pages_do_not_show_keeps_the_cached_pages(
    django_capture_on_commit_callbacks,
):
    region = Region.objects.get(slug="lappi")
    region.registry_email = "kirjaamo@example.fi"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        region.save(update_fields=["registry_email"])
    assert callbacks == []


# Transactional: after the rollback the thread is outside any transaction, as in a request.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rolled_back_rename_is_not_kept():
    from regions.selectors import cooperation_areas_with_regions

    def lappi_name():
        regions = [r for a in cooperation_areas_with_regions() for r in a.region_list]
        return next(r.name_fi for r in regions if r.slug == "lappi")

    original = lappi_name()
    with pytest.raises(RuntimeError), transaction.atomic():
        region = Region.objects.get(slug="lappi")
        region.name_fi = "Peruttu nimi"
        region.save()
        assert lappi_name() == "Peruttu nimi"  # its own change, inside the transaction
        raise RuntimeError("roll back")
    assert lappi_name() == original


def test_a_region_created_by_another_process_is_a_filter_at_once(client, uncached):
    client.get("/fi/protocols/")
    area = CooperationArea.objects.first()
    Region.objects.bulk_create(
        [Region(slug="uusi", name_fi="Uusi alue", name_sv="Nytt område", name_en="New",
                kind=Region.Kind.WELFARE_AREA, main_language="fi", cooperation_area=area)]
    )  # fmt: skip
    assert client.get("/fi/protocols/", {"region": "uusi"}).status_code == 200


def test_moving_a_region_by_its_column_name_is_read_again(client, uncached):
    client.get("/fi/")
    region = Region.objects.get(slug="lappi")
    region.cooperation_area_id = (
        CooperationArea.objects.exclude(pk=region.cooperation_area_id).first().pk
    )
    region.save(update_fields=["cooperation_area_id"])
    assert _region_reads(client, "/fi/") == 1
