import os

from django.core.wsgi import get_wsgi_application

from archive_site.page_cache import PageCache

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive_site.settings")

application = PageCache(get_wsgi_application())
