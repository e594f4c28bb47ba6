"""Django's Redis cache backend, keeping one client per connection pool.

Django's client builds a new redis.Redis for every call, and building one (its table of
response callbacks alone has some 170 entries) costs about as much as the round trip it
makes: on a cached public page that was a third of the time. A redis.Redis holds no state
of its own beyond its pool and is safe to share between threads, so one per pool serves.
"""

import logging
import time

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

logger = logging.getLogger(__name__)
# What a cache that is down raises (the strict writes of DegradingRedisCache).
CACHE_ERRORS = (redis.ConnectionError, redis.TimeoutError)


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


class DegradingRedisCache(RedisCache):
    """A cache that is down is a cache that misses: reads find nothing, writes are dropped.

    Without this every anonymous public page answered 500 while Redis was unreachable.
    The first failure is logged; for RETRY_SECONDS after one the cache is not tried at
    all, so an outage costs each page no connection attempt. `in_doubt` stays set from a
    failure until someone (minutes.public_cache) has repaired what a dropped write left
    stale and called `trust_again()`. `strict` is this cache without the degrading, for
    writes that must be known to have happened.
    """

    RETRY_SECONDS = 2.0
    errors = CACHE_ERRORS

    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0
        self.in_doubt = False
        self.strict = _Strict(self)

    def _failed(self, error) -> None:
        if not self.in_doubt:
            logger.warning("cache unreachable (%s): pages are made without it", error)
        self.in_doubt = True
        self._down_until = time.monotonic() + self.RETRY_SECONDS

    def trust_again(self) -> None:
        if self.in_doubt:
            logger.warning("cache reachable again")
        self.in_doubt = False

    def _try(self, method, *args, default=None, **kwargs):
        if time.monotonic() < self._down_until:
            return default
        try:
            return method(self, *args, **kwargs)
        except self.errors as error:
            self._failed(error)
            return default

    def get(self, key, default=None, version=None):
        return self._try(RedisCache.get, key, default, version, default=default)

    def get_many(self, keys, version=None):
        return self._try(RedisCache.get_many, keys, version, default={})

    def has_key(self, key, version=None):
        return self._try(RedisCache.has_key, key, version, default=False)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(RedisCache.add, key, value, timeout, version, default=False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._try(RedisCache.set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(RedisCache.set_many, data, timeout, version, default=list(data))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(RedisCache.touch, key, timeout, version, default=False)

    def delete(self, key, version=None):
        return self._try(RedisCache.delete, key, version, default=False)

    def delete_many(self, keys, version=None):
        self._try(RedisCache.delete_many, keys, version)


class _Strict:
    """The degrading cache's writes, raising when the cache is down."""

    def __init__(self, cache: DegradingRedisCache):
        self._cache = cache

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        cache = self._cache
        if time.monotonic() < cache._down_until:
            raise redis.ConnectionError("the cache is down")
        try:
            RedisCache.set(cache, key, value, timeout, version)
        except cache.errors as error:
            cache._failed(error)
            raise
