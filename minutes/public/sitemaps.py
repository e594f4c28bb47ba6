from django.contrib.sitemaps import Sitemap

from .selectors import current_rows


class ProtocolSitemap(Sitemap):
    """Published protocols only: nothing else is for search engines."""

    changefreq = "never"
    i18n = True
    languages = ["fi", "sv", "en"]

    def items(self):
        return current_rows()

    def lastmod(self, item):
        return item.published_at
