"""The Editor group: writing and publishing content, and nothing of the comment queue.

Its counterpart, the Moderator group, comes with the comments app (comments 0003): moderators
work the queue and cannot edit posts; editors edit posts and cannot approve comments.
"""

from django.db import migrations

from archive_site.roles import grant_group, remove_group

GROUP = "Editor"
MODELS = ["post", "category", "tag", "author", "blog", "media", "legacyurl"]
ACTIONS = ["add", "change", "delete", "view"]


def create_editors(apps, schema_editor):
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    grant_group(apps, name=GROUP, app_label="posts", codenames=codenames)


def remove_editors(apps, schema_editor):
    remove_group(apps, name=GROUP)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("posts", "0003_finding"),
    ]

    operations = [migrations.RunPython(create_editors, remove_editors)]
