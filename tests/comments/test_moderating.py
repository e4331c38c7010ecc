"""The moderation services: status changes, counts of approved comments, cache generations."""

import pytest

from archive_site import generations
from comments import services
from comments.models import Comment
from comments.moderation import Rejected
from tests.factories import CommentFactory, PostFactory

from .conftest import policy

pytestmark = pytest.mark.django_db

Status = Comment.Status


def statuses(*comments):
    return [Comment.objects.get(pk=c.pk).status for c in comments]


def count_of(post):
    post.refresh_from_db()
    return post.comment_count


def test_approve_publishes_counts_and_moves_the_content_generation(moderator):
    post = PostFactory()
    comments = CommentFactory.create_batch(3, post=post, status=Status.PENDING)
    before = generations.current("content")
    assert services.approve(Comment.objects.all(), moderator=moderator) == 3
    assert count_of(post) == 3 and generations.current("content") > before
    comment = Comment.objects.get(pk=comments[0].pk)
    assert comment.approved_at is not None and comment.moderated_by == moderator


def test_counts_include_only_approved_comments():
    post = PostFactory()
    for status in Status.values:
        CommentFactory(post=post, status=Status.PENDING, body=status)
    services.approve(Comment.objects.filter(body="approved"))
    services.mark_spam(Comment.objects.filter(body="spam"))
    services.trash(Comment.objects.filter(body="trash"))
    assert count_of(post) == 1
    CommentFactory(post=post, status=Status.PENDING, kind=Comment.Kind.PINGBACK,
                   source_url="https://elsewhere.example/")
    services.approve(Comment.objects.filter(kind=Comment.Kind.PINGBACK))
    assert count_of(post) == 2  # approved pings are responses too, as WordPress counts them


def test_unapprove_returns_to_the_queue():
    post = PostFactory()
    comment = CommentFactory(post=post, status=Status.PENDING)
    services.approve(Comment.objects.all())
    assert services.unapprove(Comment.objects.all()) == 1
    assert statuses(comment) == [Status.PENDING] and count_of(post) == 0


def test_spam_and_not_spam_restore_the_status_before():
    approved = CommentFactory(status=Status.PENDING)
    services.approve(Comment.objects.filter(pk=approved.pk))
    pending = CommentFactory(status=Status.PENDING)
    assert services.mark_spam(Comment.objects.all()) == 2
    assert statuses(approved, pending) == [Status.SPAM, Status.SPAM]
    assert count_of(approved.post) == 0
    assert services.mark_not_spam(Comment.objects.all()) == 2
    assert statuses(approved, pending) == [Status.APPROVED, Status.PENDING]
    assert count_of(approved.post) == 1


def test_trash_and_restore_remember_the_status_through_spam():
    comment = CommentFactory(status=Status.APPROVED)
    services.trash(Comment.objects.all())
    services.mark_spam(Comment.objects.all())
    services.mark_not_spam(Comment.objects.all())
    assert statuses(comment) == [Status.APPROVED]
    assert "previous_status" not in Comment.objects.get().meta


def test_restore_and_not_spam_touch_only_their_own_queue():
    spam = CommentFactory(status=Status.SPAM)
    trashed = CommentFactory(status=Status.TRASH)
    assert services.restore(Comment.objects.all()) == 1
    assert services.mark_not_spam(Comment.objects.all()) == 1
    assert statuses(spam, trashed) == [Status.PENDING, Status.PENDING]


def test_changing_nothing_reports_nothing():
    CommentFactory(status=Status.APPROVED)
    assert services.approve(Comment.objects.all()) == 0


def test_delete_permanently_keeps_replies_and_counts():
    post = PostFactory()
    parent = CommentFactory(post=post)
    reply = CommentFactory(post=post, parent=parent, depth=1)
    services.published_comments_changed(post_ids={post.pk})
    assert services.delete_permanently(Comment.objects.filter(pk=parent.pk)) == 1
    reply.refresh_from_db()
    assert reply.parent is None and count_of(post) == 1


def test_bulk_changes_across_posts_take_a_fixed_number_of_queries(django_assert_max_num_queries):
    posts = PostFactory.create_batch(5)
    for post in posts:
        CommentFactory.create_batch(4, post=post, status=Status.PENDING)
    with django_assert_max_num_queries(6):
        assert services.approve(Comment.objects.all()) == 20
    assert [count_of(post) for post in posts] == [4] * 5


def test_submit_comment_approved_by_policy_is_counted():
    post = PostFactory()
    comment = Comment(post=post, author_name="Ann", author_email="a@example.org", body=" Hi! ")
    submission = services.submit_comment(comment=comment, policy=policy(hold_all=False))
    assert submission.decision.status == Status.APPROVED
    assert submission.comment.body == "Hi!" and count_of(post) == 1


def test_submit_comment_refused_stores_nothing():
    post = PostFactory(comment_status="closed")
    with pytest.raises(Rejected):
        services.submit_comment(comment=Comment(post=post, author_name="A", body="x"))
    assert not Comment.objects.exists()


def test_admin_edit_of_an_approved_comment_moves_the_generation():
    comment = CommentFactory(status=Status.APPROVED)
    before = generations.current("content")
    comment.body = "Corrected spelling."
    services.save_edited(comment=comment)
    assert generations.current("content") > before


def test_staff_reply_is_published_with_its_parent(moderator):
    parent = CommentFactory(status=Status.PENDING)
    reply = services.staff_reply(parent=parent, author=moderator, body="Thanks! ")
    assert statuses(parent, reply) == [Status.APPROVED, Status.APPROVED]
    assert (reply.parent, reply.depth, reply.user, reply.body) == (parent, 1, moderator, "Thanks!")
    assert count_of(parent.post) == 2
