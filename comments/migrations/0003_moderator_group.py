"""The Moderator group: exactly what working the comment queue needs, nothing more.

Viewing and changing comments opens the queue and lets a moderator fix a typo; `can_moderate`
unlocks the bulk actions (approve, spam, trash, delete permanently) and the admin reply.
Discussion settings stay with administrators.
"""

from django.db import migrations

from archive_site.roles import grant_group, remove_group

GROUP = "Moderator"
PERMISSIONS = ["view_comment", "change_comment", "can_moderate"]


def create_moderators(apps, schema_editor):
    grant_group(apps, name=GROUP, app_label="comments", codenames=PERMISSIONS)


def remove_moderators(apps, schema_editor):
    remove_group(apps, name=GROUP)


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("comments", "0002_discussion"),
    ]

    operations = [migrations.RunPython(create_moderators, remove_moderators)]
