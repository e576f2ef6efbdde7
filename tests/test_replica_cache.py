"""The shared cache as a site with DATABASE_REPLICA_URLS has it (config.replicas.ReplicaAwareCache)."""

from config.replicas import ReplicaAwareCache

LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "replica-aware-test"}


def test_the_wrapped_cache_answers_in_as_the_cache_it_wraps():
    # Sessions through the cache ask `key in cache`: it raised TypeError when replicas were configured.
    cache = ReplicaAwareCache("", {"OPTIONS": {"CACHE": LOCMEM}})
    cache.set("session-key", {"user": 1})
    assert "session-key" in cache
    assert "another-key" not in cache
