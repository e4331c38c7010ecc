"""The Moderator group: exactly what working the comment queue needs, nothing more.

Viewing and changing comments opens the queue and lets a moderator fix a typo; `can_moderate`
unlocks the bulk actions (approve, spam, trash, delete permanently) and the admin reply.
Discussion settings stay with administrators.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Moderator"
PERMISSIONS = ["view_comment", "change_comment", "can_moderate"]


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations; this group needs them now.
    app_config = apps.get_app_config("comments")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="comments", codename__in=PERMISSIONS)
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("comments", "0002_discussion"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
