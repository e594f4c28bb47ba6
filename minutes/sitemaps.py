from django.contrib.sitemaps import Sitemap

from .public import current_rows


class ProtocolSitemap(Sitemap):
    """Published protocols only: nothing else is for search engines."""

    changefreq = "never"
    i18n = True
    languages = ["fi", "sv", "en"]

    def items(self):
        return current_rows()

    def location(self, item):
        from django.urls import reverse

        return reverse("public_protocol", kwargs={"pk": item.pk})

    def lastmod(self, item):
        return item.published_at
