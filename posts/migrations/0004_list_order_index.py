# Indexes in the order lists are read, written by hand because the two databases need them
# spelt differently.
#
# Post lists order by `-sticky, published_at DESC NULLS LAST, -id` (Post.Meta.ordering) and feeds
# by `published_at DESC NULLS LAST, -id`. Without an index in that order every list page sorts
# every post to show ten of them. PostgreSQL sorts NULLs last in ascending order, so the index
# must say DESC NULLS LAST; SQLite sorts NULLs first and cannot write NULLS in an index, but
# reading its plain ascending index backwards gives exactly that order, and the far end of a
# list (posts.pagination reads deep pages backwards) reads it forwards.

from django.db import migrations

INDEXES = {
    "postgresql": [
        "CREATE INDEX post_list_order_idx ON posts_post "
        "(kind, sticky DESC, published_at DESC NULLS LAST, id DESC)",
        "CREATE INDEX post_feed_order_idx ON posts_post "
        "(kind, published_at DESC NULLS LAST, id DESC)",
    ],
    "sqlite": [
        "CREATE INDEX post_list_order_idx ON posts_post (kind, sticky, published_at, id)",
        "CREATE INDEX post_feed_order_idx ON posts_post (kind, published_at, id)",
    ],
}
NAMES = ["post_list_order_idx", "post_feed_order_idx"]


def create_indexes(apps, schema_editor):
    for statement in INDEXES.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor in INDEXES:
        for name in NAMES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("posts", "0003_finding")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
