"""The Editor group: writing and publishing content, and nothing of the comment queue.

Its counterpart, the Moderator group, comes with the comments app (comments 0003): moderators
work the queue and cannot edit posts; editors edit posts and cannot approve comments.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Editor"
MODELS = ["post", "category", "tag", "author", "blog", "media", "legacyurl"]
ACTIONS = ["add", "change", "delete", "view"]


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations; this group needs them now.
    app_config = apps.get_app_config("posts")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="posts", codename__in=codenames)
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("posts", "0003_finding"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
