"""Comments say what their body is: plain text, or the HTML WordPress stored.

Comments already imported from WordPress exports are HTML; everything else (readers' comments,
seed captures, linkbacks this site received) is plain text, as it was always shown. The
importer's keys start "wxr:" (archive.wxr_import.mapping.key_prefix); written out here because a
migration must not change when that code does.
"""

from django.db import migrations, models


def mark_imported_as_html(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    Comment.objects.filter(source_key__startswith="wxr:").update(body_format="html")


class Migration(migrations.Migration):

    dependencies = [
        ("comments", "0003_moderator_group"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="body_format",
            field=models.CharField(
                choices=[("plain", "Plain text"), ("html", "HTML (imported from WordPress)")],
                default="plain", max_length=10,
            ),
        ),
        migrations.AddConstraint(
            model_name="comment",
            constraint=models.CheckConstraint(
                condition=models.Q(("body_format__in", ["plain", "html"])),
                name="comment_body_format_valid",
            ),
        ),
        migrations.RunPython(mark_imported_as_html, migrations.RunPython.noop),
    ]
