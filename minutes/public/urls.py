"""Every anonymous page: those under the language prefix (`urlpatterns`) and those outside
it (`unprefixed`: the sitemap and the JSON API)."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import api, views
from .cache import public_page
from .feeds import ProtocolFeed
from .sitemaps import ProtocolSitemap

feed = public_page(ProtocolFeed())

urlpatterns = [
    path("", views.home, name="home"),
    path("regions/<slug:slug>/", views.region_detail, name="region_detail"),
    path("protocols/", views.protocol_list, name="protocol_list"),
    path("search/", views.search_page, name="search"),
    path("protocols/<int:pk>/", views.protocol_detail, name="public_protocol"),
    path("protocols/<int:pk>/protocol.pdf", views.protocol_pdf, name="public_protocol_pdf"),
    path(
        "protocols/<int:pk>/attachments/<int:document_pk>/",
        views.attachment,
        name="public_attachment",
    ),
    path("feeds/protocols.atom", feed, name="protocol_feed"),
    path("feeds/regions/<slug:slug>.atom", feed, name="region_feed"),
    path("feeds/schedule.ics", public_page(views.schedule_ics), name="schedule_ics"),
]

unprefixed = [
    path("sitemap.xml", sitemap, {"sitemaps": {"protocols": ProtocolSitemap}}, name="sitemap"),
    path("api/v1/protocols/", api.protocol_list, name="api_protocols"),
    path("api/v1/protocols/<int:pk>/", api.protocol_detail, name="api_protocol"),
    path("api/v1/items/", api.item_list, name="api_items"),
]
