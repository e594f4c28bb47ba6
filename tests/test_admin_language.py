"""The Django admin speaks the administrator's language and labels every control."""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps

from negotiations.models import AgendaTemplate, AgendaTemplateItem

pytestmark = pytest.mark.django_db

OUR_APPS = {"steering", "regions", "negotiations", "minutes"}


def test_every_model_of_our_apps_names_itself():
    """Without an explicit name the admin shows the class name split into English words."""
    unnamed = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        and not {"verbose_name", "verbose_name_plural"} <= set(model._meta.original_attrs)
    ]
    assert not unnamed


class _Controls(HTMLParser):
    """Collects the form controls a screen reader would announce, and the labels it has."""

    def __init__(self):
        super().__init__()
        self.controls = []
        self.label_targets = set()
        self.label_depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label":
            self.label_depth += 1
            if attrs.get("for"):
                self.label_targets.add(attrs["for"])
        if tag in {"input", "select", "textarea"}:
            if attrs.get("type") in {"hidden", "submit", "button", "reset", "image"}:
                return
            self.controls.append({**attrs, "_wrapped": self.label_depth > 0})

    def handle_endtag(self, tag):
        if tag == "label" and self.label_depth:
            self.label_depth -= 1

    def unnamed(self):
        return [
            control.get("name") or control.get("id")
            for control in self.controls
            if not (
                control["_wrapped"]
                or (control.get("aria-label") or "").strip()
                or control.get("aria-labelledby")
                or control.get("id") in self.label_targets
            )
        ]


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_agenda_template_change_page_labels_every_control(client, administrator, language):
    template = AgendaTemplate.objects.create(name="Perusasialista")
    for position, (fi, sv) in enumerate([("Talous", "Ekonomi"), ("Pelastus", "Räddning")], 1):
        AgendaTemplateItem.objects.create(
            template=template, position=position, title_fi=fi, title_sv=sv
        )
    client.force_login(administrator)
    response = client.get(f"/{language}/admin/negotiations/agendatemplate/{template.pk}/change/")
    assert response.status_code == 200
    parser = _Controls()
    parser.feed(response.content.decode())
    # The two items, the extra row and the empty form the "add another" button copies.
    assert sum(1 for c in parser.controls if (c.get("name") or "").endswith("-title_fi")) == 4
    assert not parser.unnamed()


def test_inline_labels_name_the_row(client, administrator):
    template = AgendaTemplate.objects.create(name="Perusasialista")
    AgendaTemplateItem.objects.create(template=template, position=1, title_fi="A", title_sv="B")
    client.force_login(administrator)
    body = client.get(f"/en/admin/negotiations/agendatemplate/{template.pk}/change/")
    body = body.content.decode()
    assert re.search(
        r'<input [^>]*name="items-0-title_fi"[^>]* aria-label="Title in Finnish, row 1"', body
    )
    assert re.search(
        r'<select name="items-0-responsible"[^>]* aria-label="Responsible ministry, row 1"', body
    )
    assert re.search(
        r'<select name="items-1-responsible"[^>]* aria-label="Responsible ministry, row 2"', body
    )
    assert re.search(
        r'name="items-__prefix__-role"[^>]* aria-label="Role in the cycle, new row"', body
    )


@pytest.mark.parametrize(
    ("language", "header"),
    [
        ("fi", "Ohjausneuvottelut"),
        ("sv", "Styrningsförhandlingar"),
        ("en", "Steering negotiations"),
    ],
)
def test_admin_header_and_title_in_the_page_language(client, administrator, language, header):
    client.force_login(administrator)
    response = client.get(f"/{language}/admin/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<html lang="{language}"' in body
    assert f'<a href="/{language}/admin/">{header}</a>' in body
    assert f"| {header}</title>" in body


def test_old_admin_address_leads_to_the_admin_in_a_language(client, administrator):
    client.force_login(administrator)
    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 302
    assert response["Location"] == "/sv/admin/"


def test_portal_links_to_the_admin_in_the_page_language(client, administrator):
    client.force_login(administrator)
    assert client.get("/sv/workspace/")["Location"] == "/sv/admin/"
    assert 'href="/sv/admin/"' in client.get("/sv/").content.decode()


def test_every_string_of_axes_admin_is_kept_for_our_catalogue():
    """Axes ships no Finnish or Swedish; a string it adds in an upgrade must be listed too."""
    from pathlib import Path

    import axes

    from steering.axes_messages import AXES_ADMIN_MESSAGES

    source = "".join(
        (Path(axes.__file__).parent / name).read_text() for name in ("admin.py", "models.py")
    )
    used = set(re.findall(r'_\(\s*"([^"{]+)"\s*\)', source))
    # Django's own catalogue already has these.
    assert used - {"Yes", "No"} <= set(AXES_ADMIN_MESSAGES)
