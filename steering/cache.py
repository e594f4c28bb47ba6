"""Django's Redis cache backend, keeping one client per connection pool.

Django's client builds a new redis.Redis for every call, and building one (its table of
response callbacks alone has some 170 entries) costs about as much as the round trip it
makes; a cached public page makes two (cache_page reads the page's header list, then the
page). Kept by measurement (bench/RESULTS.md, 2026-12-02, one sitting, PostgreSQL):
cached pages 19-26 % of the bare view without it, 25-72 % with it (issue 15 keeps such a
subclass only above a 25 % cost). A redis.Redis holds no state of its own beyond its pool
and is safe to share between threads, so one per pool serves. It uses two private names
of Django's client (`_get_connection_pool`, `_client`): check them on a Django upgrade.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
