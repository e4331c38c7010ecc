"""Production server settings: `make serve`, or `gunicorn -c archive_site/gunicorn.conf.py`."""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
wsgi_app = "archive_site.wsgi:application"
# Two workers per core plus one, each with a few threads for requests waiting on the database.
# Without REDIS_URL the caches (pages, fragments, their generations) live in one process's
# memory: several workers would each keep copies that only their own writes expire. So one.
workers = int(os.environ.get(
    "WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1 if os.environ.get("REDIS_URL") else 1))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
# Recycle workers now and then so that slow leaks can never grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
# Loaded once in the master so workers share its memory; `kill -HUP` reloads gracefully.
preload_app = True
