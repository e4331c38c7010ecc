"""
Settings for archive_site, read from the environment.

Development needs no configuration at all: SQLite under var/, a secret key generated once into
var/, the local-memory cache. Production (DEBUG=0) refuses to start without SECRET_KEY and
ALLOWED_HOSTS rather than fall back to something unsafe.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from archive_site.release import code_digest

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=()):
    value = os.environ.get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] or list(default)


def development_secret_key():
    """Generate the key once and keep it in var/, so sessions survive restarts."""
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = development_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    if not DEBUG:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# A comment whose token had expired is given back to send again, not lost with a bare 403.
CSRF_FAILURE_VIEW = "archive_site.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "markdownx",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "archive_site",
    "posts",
    "comments",
    "linkbacks",
    "archive",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outermost of the rest, so it sees every 404 the site answers and can turn it into a 301.
    "posts.redirects.LegacyRedirectMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
    # X-Pingback and Link: rel="webmention" on the posts that take linkbacks.
    "linkbacks.middleware.AdvertiseEndpointsMiddleware",
]

ROOT_URLCONF = "archive_site.urls"
WSGI_APPLICATION = "archive_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "archive_site.context_processors.site",
            ],
        },
    },
]

# Databases: SQLite by default, anything dj-database-url understands through DATABASE_URL.
# An empty DATABASE_URL (as `DATABASE_URL= make test` sets it) means the default too.
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_health_checks=True)}
# Connections are kept between requests: opening one costs more than most pages (for SQLite:
# Django's functions registered, the PRAGMAs run, the schema read again).
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers and a writer work at once; IMMEDIATE transactions plus a busy timeout
    # make concurrent writers queue instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    # Fail fast when the database is away; health checks reconnect when it is back.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "archive_site.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "archive_site"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "archive_site",
        }
    }

# Scale-out past one machine (docs/deployment.md): nothing below changes a single-node site.
# Read replicas: DATABASE_REPLICA_URLS, comma-separated URLs in DATABASE_URL's format, become the
# aliases replica1, replica2, ... Page reads go to them and every write, and the writer's reads
# for DATABASE_REPLICA_LAG_SECONDS after it, to the primary (archive_site/db_router.py).
DATABASE_REPLICAS = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    DATABASES[f"replica{_number}"] = {
        **dj_database_url.parse(_url, conn_health_checks=True),
        "CONN_MAX_AGE": DATABASES["default"].get("CONN_MAX_AGE", 0),
        # Tests create no replica database: the alias reads the test primary.
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_REPLICAS.append(f"replica{_number}")
DATABASE_REPLICA_LAG_SECONDS = int(os.environ.get("DATABASE_REPLICA_LAG_SECONDS", "5"))
if DATABASE_REPLICAS:
    DATABASE_ROUTERS = ["archive_site.db_router.PrimaryReplicaRouter"]
    # Before anything that reads the database, so that all of a request reads one alias.
    MIDDLEWARE.insert(MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
                      "archive_site.db_router.PrimaryPinMiddleware")
# Sessions live in the database, read through the shared cache when there is one: any app node
# can serve any reader, and losing Redis loses no session.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        ),
    }
}

# The admin's address can be moved away from the well-known /admin/.
ADMIN_URL = os.environ.get("ADMIN_URL", "admin/").strip("/") + "/"

# Password guessing: django-axes locks an account-and-address pair out after repeated failures.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

# Content-Security-Policy: no inline or foreign script can run, whatever a page contains.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # The Django admin sets a few inline style attributes; styles cannot run script.
        "style-src": ["'self'", "'unsafe-inline'"],
        # Archived posts show images from their original hosts; Gravatar serves avatars.
        "img-src": ["'self'", "data:", "https:", "http:"],
        "media-src": ["'self'", "https:", "http:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed names need collectstatic; development serves the sources.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

# Media on S3-compatible object storage (AWS S3, MinIO, Ceph, R2...) once AWS_STORAGE_BUCKET_NAME
# is set, through django-storages (`pip install '.[s3]'`), so that app nodes keep no files.
# Credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the machine's role (boto3).
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,  # non-AWS services
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,  # a CDN in front
            "location": os.environ.get("AWS_LOCATION", "media"),
            # Media is public: plain URLs that caches can keep, not expiring signed ones.
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
            "file_overwrite": False,
        },
    }

# Uploads: anything larger goes to a temporary file, and request bodies have a hard cap.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# The site as readers see it.
SITE_TITLE = os.environ.get("SITE_TITLE", "archive_site")
SITE_TAGLINE = os.environ.get("SITE_TAGLINE", "Archived blogs, kept as they were published")
POSTS_PER_PAGE = 10
# Password-protected posts: at most this many tries at a post's password from one address (or
# IPv6 /64) in this many seconds; more are answered with 429, the right password included.
POSTS_PASSWORD_TRIES = 10
POSTS_PASSWORD_TRIES_PERIOD = 15 * 60
# Anonymous pages are stored whole for this long (0 turns the page cache off); content changes
# make stored pages unreachable at once, through cache generations. archive_site/page_cache.py
# serves them in front of Django, from the shared cache and from a copy in each process.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
# Part of every cached page's and fragment's key (archive_site/release.py).
RELEASE = os.environ.get("RELEASE") or code_digest(BASE_DIR)
PAGE_CACHE_LOCAL_BYTES = int(os.environ.get("PAGE_CACHE_LOCAL_MB", "16")) * 1024 * 1024
# Each process also keeps copies of the fragments pages are made of (archive_site/fragments.py).
FRAGMENT_CACHE_LOCAL_BYTES = int(os.environ.get("FRAGMENT_CACHE_LOCAL_MB", "16")) * 1024 * 1024
PAGE_CACHE_REFRESHERS = ["comments.moderation.FORM_TOKEN_REFRESHER"]

# Finding things: search, feeds and sitemaps (posts/search, posts/feeds.py, posts/sitemaps.py).
# The PostgreSQL text search configuration. Migration 0003 builds the stored search vector with
# it and every query parses with it, so change it only together with a migration that rebuilds
# the column. "simple" neither stems nor drops stop words, which suits mixed-language archives;
# a configuration with the unaccent dictionary would also make "cafe" find "café".
SEARCH_CONFIG = os.environ.get("SEARCH_CONFIG", "simple")
SEARCH_MAX_QUERY_LENGTH = 200  # the sidebar form's maxlength; longer queries get a 400 page
FEED_ITEMS = 20
# True: feed items carry the whole text; False: the excerpt or the text up to <!--more-->.
FEED_FULL_CONTENT = env_bool("FEED_FULL_CONTENT", True)

# Images: Pillow checks every upload against these limits.
IMAGE_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000
IMAGE_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")

# django-markdownx: its preview goes through our one sanitizing renderer.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "posts.rendering.markdownify"
MARKDOWNX_UPLOAD_MAX_SIZE = IMAGE_MAX_UPLOAD_BYTES
MARKDOWNX_UPLOAD_CONTENT_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"]
MARKDOWNX_MEDIA_PATH = "markdownx/"
MARKDOWNX_IMAGE_MAX_SIZE = {"size": (1600, 1600), "quality": 85}

# Comments: defaults for the moderation policy (comments/moderation.py). Once an admin saves the
# "Discussion settings" record, its values win over the ones marked (*) below.
COMMENTS_HOLD_ALL = True  # (*) every comment waits for a moderator unless a rule approves it
COMMENTS_AUTO_APPROVE_KNOWN = False  # (*) approve authors with an approved comment (name + email)
COMMENTS_MAX_LINKS = 2  # (*) more links than this sends a comment to the queue
COMMENTS_MAX_LENGTH = 10_000  # characters; longer comments are refused with the text kept
COMMENTS_MAX_DEPTH = 5  # (*) levels of threading, top level included
COMMENTS_PER_PAGE = 50  # (*) top-level comments per page; replies stay with their thread
COMMENTS_CLOSE_AFTER_DAYS = None  # (*) close comments on posts older than this; None never closes
# (*) Matches go to spam (blocklist) or to the queue (hold list): whole words in the name, text,
# email or website; IP addresses or networks ("203.0.113.7", "198.51.100.0/24"); emails
# ("someone@example.com", or "@example.com" for a whole domain); fragments of any linked URL.
COMMENTS_BLOCKLIST = {"words": [], "ips": [], "emails": [], "urls": []}
COMMENTS_HOLDLIST = {"words": [], "ips": [], "emails": [], "urls": []}
# A form sent back faster than this was filled in by a machine.
COMMENTS_MIN_SECONDS = int(os.environ.get("COMMENTS_MIN_SECONDS", "3"))
COMMENTS_FORM_MAX_AGE = 60 * 60 * 24  # seconds a rendered form stays valid
# Comments per IP address (per /64 for IPv6) ...
COMMENTS_RATE_LIMIT = int(os.environ.get("COMMENTS_RATE_LIMIT", "5"))
COMMENTS_RATE_PERIOD = 10 * 60  # ... in this many seconds; more are answered with 429
COMMENTS_GRAVATAR = env_bool("COMMENTS_GRAVATAR", True)  # (*) off: no email hash leaves the site
COMMENTS_NOTIFY_MODERATORS = True  # (*) mail moderators about comments waiting for them
COMMENTS_NOTIFY_POST_AUTHOR = True  # (*) mail the post's author about them too
COMMENTS_FEED_ITEMS = 30
# Behind a reverse proxy every request comes from the proxy: name the header it puts the
# reader's address in (e.g. HTTP_X_REAL_IP), and only when that proxy always sets it.
COMMENTS_CLIENT_IP_HEADER = os.environ.get("COMMENTS_CLIENT_IP_HEADER", "")
# Mail is sent outside any request, so links in it need the site's own address.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Mail: SMTP configured by EMAIL_URL (smtp://user:password@host:587?tls=1, or smtps:// for TLS
# from the first byte) or by EMAIL_HOST and friends; with neither, development prints mail to
# the console. Sending happens in background tasks, so a slow server never holds up a reader.
EMAIL_URL = os.environ.get("EMAIL_URL", "")
if EMAIL_URL:
    _email = urlsplit(EMAIL_URL)
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_USE_SSL = _email.scheme == "smtps"
    EMAIL_USE_TLS = not EMAIL_USE_SSL and parse_qs(_email.query).get("tls", ["0"])[0] in {"1", "true"}
    EMAIL_PORT = _email.port or (465 if EMAIL_USE_SSL else 587 if EMAIL_USE_TLS else 25)
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
else:
    EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if DEBUG and not EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = EMAIL_HOST or "localhost"
EMAIL_TIMEOUT = 15
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"{SITE_TITLE} <noreply@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Linkbacks (linkbacks/): pingbacks, trackbacks and webmentions, received and sent. Every page
# fetched for them (a source to verify, a target's endpoint) goes through linkbacks.fetch under
# these limits.
LINKBACKS_ACCEPT = env_bool("LINKBACKS_ACCEPT", True)  # site-wide; per post: its ping status
LINKBACKS_SEND = env_bool("LINKBACKS_SEND", True)  # notify the pages a post links to on publish
LINKBACKS_SELF_PINGS = False  # also notify our own posts that a post links to
# Where received linkbacks are listed: "inline" among the comments, as the archived blogs showed
# them, or "separate", in a list of their own below the comments.
LINKBACKS_DISPLAY = "inline"
LINKBACKS_FETCH_TIMEOUT = 10  # seconds for a whole fetch: lookups, connects, redirects, body
LINKBACKS_FETCH_MAX_BYTES = 1_000_000  # read no more of any page than this
LINKBACKS_FETCH_MAX_REDIRECTS = 3
# Private, loopback, link-local and multicast addresses are never fetched, so that nobody can use
# a linkback to reach this server's own network. ALLOW_PRIVATE lifts that, for development only;
# PUBLIC_ADDRESSES names single addresses to fetch from all the same (a test server).
LINKBACKS_ALLOW_PRIVATE = env_bool("LINKBACKS_ALLOW_PRIVATE", False)
if LINKBACKS_ALLOW_PRIVATE and not DEBUG:
    raise ImproperlyConfigured("LINKBACKS_ALLOW_PRIVATE is for development only.")
LINKBACKS_PUBLIC_ADDRESSES = env_list("LINKBACKS_PUBLIC_ADDRESSES")
LINKBACKS_RATE_LIMIT = 10  # fetches from any one host ...
LINKBACKS_RATE_PERIOD = 60  # ... in this many seconds; the rest wait (sending) or fail (receiving)
LINKBACKS_MAX_REQUEST_BYTES = 64 * 1024  # larger XML-RPC requests are refused unread
LINKBACKS_SEND_ATTEMPTS = 5  # tries per target and version of a post, for transient failures
LINKBACKS_RETRY_DELAY = 5 * 60  # seconds before the first retry; doubled for each one after

# Archive: WordPress (WXR) imports and exports (archive/wxr_import, archive/wxr_export.py).
ARCHIVE_WXR_FLUSH_ITEMS = 500  # items written per round of bulk queries (and per --batch default)
ARCHIVE_WXR_FLUSH_BYTES = 16 * 1024 * 1024  # ... or fewer, once their text is about this large
ARCHIVE_WXR_UPLOAD_BATCH = 1_000  # admin uploads commit in batches, so progress can be seen
ARCHIVE_WXR_MAX_UPLOAD_BYTES = 1024 * 1024 * 1024
ARCHIVE_WXR_UPLOAD_DIR = Path(os.environ.get("ARCHIVE_WXR_UPLOAD_DIR", VAR_DIR / "wxr-uploads"))
# --fetch-media: every download goes through linkbacks.fetch, under these limits, and only
# these types are kept (they are served from our own origin: no HTML, no SVG).
ARCHIVE_MEDIA_FETCH_TIMEOUT = 60
ARCHIVE_MEDIA_MAX_BYTES = 50 * 1024 * 1024
ARCHIVE_MEDIA_TYPES = frozenset({
    "image/jpeg", "image/png", "image/gif", "image/webp", "audio/mpeg", "audio/ogg",
    "audio/wav", "audio/mp4", "video/mp4", "video/webm", "video/ogg", "application/pdf",
})

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Production is served over HTTPS (behind a proxy that says so). HTTPS=0 is for a production
# build on plain HTTP inside a test or benchmark: no redirect, no HSTS, cookies sent over HTTP.
if env_bool("HTTPS", not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
