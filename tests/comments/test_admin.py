"""The moderation queue in the admin: counts, filters, every bulk action, replies, permissions."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from archive_site import generations
from comments.models import Comment, DiscussionSettings
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = Comment.Status
QUEUE = reverse("admin:comments_comment_changelist")


def run_action(client, action, comments):
    return client.post(QUEUE, {"action": action, "_selected_action": [c.pk for c in comments]},
                       follow=True)


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_moderator_group_has_exactly_the_permissions_it_needs():
    group = Group.objects.get(name="Moderator")
    assert sorted(group.permissions.values_list("codename", flat=True)) == [
        "can_moderate", "change_comment", "view_comment"]


def test_queue_shows_counts_per_status_post_and_excerpt(moderator_client):
    post = PostFactory(title="Saving seeds")
    CommentFactory.create_batch(2, post=post, status=Status.PENDING, body="x" * 300)
    CommentFactory(post=post, status=Status.SPAM)
    page = moderator_client.get(QUEUE).content.decode()
    for label in ("Pending (2)", "Approved (0)", "Spam (1)", "Trash (0)"):
        assert label in page
    assert "Saving seeds" in page and "x" * 99 + "…" in page and "x" * 101 not in page


@pytest.mark.parametrize("query", [
    {"status__exact": "pending"}, {"kind__exact": "pingback"}, {"q": "beans"}, {"q": "203.0.113"}])
def test_queue_filters_and_search(moderator_client, query):
    CommentFactory(status=Status.PENDING, body="About beans", ip_address="203.0.113.7")
    assert moderator_client.get(QUEUE, query).status_code == 200


@pytest.mark.parametrize(("action", "before", "after", "message"), [
    ("approve", Status.PENDING, Status.APPROVED, "2 comments were approved."),
    ("unapprove", Status.APPROVED, Status.PENDING, "2 comments were unapproved."),
    ("mark_spam", Status.PENDING, Status.SPAM, "2 comments were marked as spam."),
    ("mark_not_spam", Status.SPAM, Status.PENDING, "2 comments were taken out of spam."),
    ("trash", Status.APPROVED, Status.TRASH, "2 comments were moved to the trash."),
    ("restore", Status.TRASH, Status.PENDING, "2 comments were restored."),
])
def test_every_status_action_works_and_reports_its_count(moderator_client, moderator,
                                                         action, before, after, message):
    post = PostFactory()
    comments = CommentFactory.create_batch(2, post=post, status=before)
    response = run_action(moderator_client, action, comments)
    assert message in messages_of(response)
    assert set(Comment.objects.values_list("status", flat=True)) == {after}
    assert set(Comment.objects.values_list("moderated_by", flat=True)) == {moderator.pk}
    post.refresh_from_db()
    assert post.comment_count == (2 if after == Status.APPROVED else 0)


def test_one_comment_is_reported_in_the_singular(moderator_client):
    response = run_action(moderator_client, "approve", [CommentFactory(status=Status.PENDING)])
    assert "1 comment was approved." in messages_of(response)


def test_delete_permanently_takes_only_spam_and_trash(moderator_client):
    spam = CommentFactory(status=Status.SPAM)
    trashed = CommentFactory(status=Status.TRASH)
    approved = CommentFactory(status=Status.APPROVED)
    response = run_action(moderator_client, "delete_permanently", [spam, trashed, approved])
    assert "2 comments were deleted permanently." in messages_of(response)
    assert list(Comment.objects.all()) == [approved]


def test_actions_need_can_moderate(client):
    editor = UserFactory(is_staff=True)
    editor.user_permissions.set(Permission.objects.filter(
        codename__in=["view_comment", "change_comment", "delete_comment"]))
    client.force_login(editor)
    comment = CommentFactory(status=Status.PENDING)
    assert client.get(QUEUE).context["action_form"] is None  # no actions at all
    run_action(client, "approve", [comment])
    assert Comment.objects.get().status == Status.PENDING


def test_bulk_delete_around_the_services_is_not_offered(admin_client):
    CommentFactory()
    choices = [v for v, _ in admin_client.get(QUEUE).context["action_form"].fields["action"].choices]
    assert "delete_selected" not in choices and "delete_permanently" in choices


def test_staff_reply_is_published_at_once_with_its_parent(moderator_client, moderator):
    parent = CommentFactory(status=Status.PENDING, author_name="Cy")
    url = reverse("admin:comments_comment_reply", args=[parent.pk])
    assert "Reply to Cy" in moderator_client.get(url).content.decode()
    response = moderator_client.post(url, {"body": "Thank you, Cy."}, follow=True)
    assert "Your reply was published." in messages_of(response)
    reply = Comment.objects.get(parent=parent)
    assert (reply.status, reply.user, reply.body) == (Status.APPROVED, moderator, "Thank you, Cy.")
    parent.refresh_from_db()
    assert parent.status == Status.APPROVED and parent.post.comment_count == 2


def test_staff_reply_needs_can_moderate(staff_client):
    parent = CommentFactory()
    url = reverse("admin:comments_comment_reply", args=[parent.pk])
    assert staff_client.post(url, {"body": "Hi"}).status_code == 403
    assert Comment.objects.count() == 1


def test_editing_an_approved_comment_moves_the_content_generation(admin_client):
    comment = CommentFactory(status=Status.APPROVED)
    before = generations.current("content")
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(body="Fixed a typo.", meta="{}", created_at_0="2024-01-01", created_at_1="10:00")
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Comment.objects.get().body == "Fixed a typo."
    assert generations.current("content") > before


def test_deleting_one_comment_in_the_admin_recounts(admin_client):
    comment = CommentFactory(status=Status.APPROVED)
    post = comment.post
    post.comment_count = 1
    post.save()
    admin_client.post(reverse("admin:comments_comment_delete", args=[comment.pk]), {"post": "yes"})
    post.refresh_from_db()
    assert post.comment_count == 0


def test_discussion_settings_start_from_the_settings_and_are_a_singleton(admin_client, settings):
    settings.COMMENTS_MAX_LINKS = 7
    add = reverse("admin:comments_discussionsettings_add")
    assert admin_client.get(add).context["adminform"].form.initial["max_links"] == 7
    DiscussionSettings.from_settings().save()
    assert admin_client.get(add).status_code == 403


def test_discussion_settings_refuse_a_bad_ip_entry(admin_client):
    add = reverse("admin:comments_discussionsettings_add")
    data = {**admin_client.get(add).context["adminform"].form.initial,
            "block_ips": "203.0.113.0/24\nnot-an-ip", "close_after_days": ""}
    data = {k: v for k, v in data.items() if v is not False}
    response = admin_client.post(add, data)
    assert response.status_code == 200
    assert "Not an IP address or network: not-an-ip" in response.content.decode()
    assert not DiscussionSettings.objects.exists()


def test_anonymous_cannot_reach_the_queue():
    assert Client().get(QUEUE).status_code == 302
