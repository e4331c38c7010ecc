"""
Production settings with the two limits a load generator trips over, for bench/run.py only.

wrk sends every comment from 127.0.0.1, far faster than the per-address rate limit allows, so
the limit is lifted: the benchmark measures the cost of taking a comment, not of refusing one.
Mail goes nowhere.
"""

from archive_site.settings import *  # noqa: F403

COMMENTS_RATE_LIMIT = 10**9
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
