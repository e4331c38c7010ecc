# The index through which search finds the posts whose titles match when a query matches more
# posts than it lists (posts.search.MAX_RESULTS), so that those still come first (see
# posts/search/postgres.py). Written by hand: it indexes the hand-made `vector` column.
#
# It indexes the title part (weight A) of the stored vector rather than the title text, so that
# titles are read with the configuration `vector` was built with. SQLite needs nothing, as it
# ranks every match.

from django.db import migrations

CREATE = """
    CREATE INDEX posts_searchdocument_title_idx ON posts_searchdocument
    USING gin (ts_filter(vector, '{a}'))
"""


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)
        # The planner knows how many titles hold a word only once the expression has statistics;
        # until then it guesses 0.5 % and reads a common word's title matches the slowest way.
        schema_editor.execute("ANALYZE posts_searchdocument")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX posts_searchdocument_title_idx")


class Migration(migrations.Migration):
    dependencies = [("posts", "0004_list_order_index")]

    operations = [migrations.RunPython(create_index, drop_index)]
