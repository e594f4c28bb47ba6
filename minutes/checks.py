"""Deployment checks of the public site."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.caches, deploy=True)
def page_cache_is_shared(app_configs=None, **kwargs):
    """A withdrawal clears the cached public pages only in the process that made it; with a
    per-process cache, the other web processes would keep showing the withdrawn protocol."""
    backend = settings.CACHES["public"]["BACKEND"]
    if settings.PUBLIC_PAGE_CACHE and backend.endswith("LocMemCache"):
        return [
            Warning(
                "The public page cache is on with the in-process cache.",
                hint="Set CACHE_URL to a shared cache (redis://…), or PUBLIC_PAGE_CACHE=0.",
                id="minutes.W001",
            )
        ]
    return []
