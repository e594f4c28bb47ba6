from django.urls import path

from .public_cache import public_page
from .views import public

urlpatterns = [
    path("protocols/", public.protocol_list, name="protocol_list"),
    path("search/", public.search_page, name="search"),
    path("protocols/<int:pk>/", public.protocol_detail, name="public_protocol"),
    path("protocols/<int:pk>/protocol.pdf", public.protocol_pdf, name="public_protocol_pdf"),
    path(
        "protocols/<int:pk>/attachments/<int:document_pk>/",
        public.attachment,
        name="public_attachment",
    ),
    path("feeds/protocols.atom", public.protocol_feed, name="protocol_feed"),
    path("feeds/regions/<slug:slug>.atom", public.protocol_feed, name="region_feed"),
    path("feeds/schedule.ics", public_page(public.schedule_ics), name="schedule_ics"),
]
