from django.test import override_settings

from archive_site import ratelimit

UNREACHABLE = {"default": {"BACKEND": "archive_site.cache.ResilientRedisCache",
                           "LOCATION": "redis://127.0.0.1:1/0"}}


def test_counts_are_shared_through_redis(redis_cache):
    assert [ratelimit.hit("test:shared", window=60) for _ in range(3)] == [1, 2, 3]
    assert redis_cache.get("test:shared") == 3


def test_without_redis_limits_fall_back_to_this_process_instead_of_switching_off():
    with override_settings(CACHES=UNREACHABLE):
        counts = [ratelimit.hit("test:fallback", window=60) for _ in range(3)]
    assert counts == [1, 2, 3]


def test_a_new_window_starts_the_count_again():
    with override_settings(CACHES=UNREACHABLE):
        assert ratelimit.hit("test:window", window=0) == 1
        assert ratelimit.hit("test:window", window=0) == 1
