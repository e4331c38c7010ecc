"""
The ceiling for anything Python serves: gunicorn with whitenoise and nothing else, serving a
saved copy of a page as a static file. bench/run.py starts it with the site's own gunicorn
configuration (same workers and threads), so the only difference from the app is Django.

    BENCH_STATIC_ROOT=var/bench/static gunicorn -c archive_site/gunicorn.conf.py \\
        bench.static_app:application
"""

import os

from whitenoise import WhiteNoise

ROOT = os.environ.get("BENCH_STATIC_ROOT", "var/bench/static")


def not_found(environ, start_response):
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"not found\n"]


# The same headers the site's own static files get: a cacheable, plain file answer.
application = WhiteNoise(not_found, root=ROOT, max_age=60)
