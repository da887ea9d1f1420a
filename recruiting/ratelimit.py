"""Fixed-window rate limits in Django's cache (share it with CACHE_URL across processes)."""

from django.core.cache import cache


def over_limit(key: str, limit: int, *, window: int) -> bool:
    """Count one hit for `key`; True once the current `window` (seconds) holds more than `limit`."""
    if cache.add(key, 1, timeout=window):
        return limit < 1
    try:
        return cache.incr(key) > limit
    except ValueError:  # the key expired between add and incr
        cache.add(key, 1, timeout=window)
        return limit < 1
