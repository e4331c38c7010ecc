"""Threading: reading order, depth limit, numbering, paging of long threads, permalinks."""

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse

from comments import services
from comments.models import Comment
from comments.threads import Thread
from tests.factories import CommentFactory, PostFactory

from .conftest import form_data

APPROVED, PENDING = Comment.Status.APPROVED, Comment.Status.PENDING


def fake(pk, parent=None, status=APPROVED, depth=0):
    return Comment(pk=pk, parent_id=parent, status=status, depth=depth, body=f"c{pk}")


def shape(entries):
    return [(e.comment.pk, e.depth, e.number) for e in entries]


def test_reading_order_depth_and_numbers():
    thread = Thread([fake(1), fake(2, 1, depth=1), fake(3), fake(4, 2, depth=2),
                     fake(5, 3, PENDING, depth=1)], per_page=50, max_depth=5)
    assert shape(thread.page(1)) == [(1, 0, 1), (2, 1, 2), (4, 2, 3), (3, 0, 4), (5, 1, None)]
    assert thread.count == 4


def test_markers_close_every_list_they_open():
    entries = Thread([fake(1), fake(2, 1), fake(3, 2), fake(4), fake(5, 4)],
                     per_page=50, max_depth=5).page(1)
    assert [(e.has_children, len(e.closes)) for e in entries] == [
        (True, 0), (True, 0), (False, 2), (True, 0), (False, 1)]


def test_reply_whose_parent_is_not_shown_becomes_top_level():
    thread = Thread([fake(2, parent=1, depth=1)], per_page=50, max_depth=5)
    assert shape(thread.page(1)) == [(2, 0, 1)]


def test_a_parent_loop_in_imported_data_loses_no_comment():
    thread = Thread([fake(1, parent=2), fake(2, parent=1), fake(3)], per_page=50, max_depth=5)
    assert sorted(e.comment.pk for e in thread.page(1)) == [1, 2, 3]


def test_replies_below_the_depth_limit_continue_at_the_deepest_level():
    chain = [fake(1)] + [fake(n, parent=n - 1, depth=n - 1) for n in range(2, 7)]
    entries = Thread(chain, per_page=50, max_depth=3).page(1)
    assert [e.depth for e in entries] == [0, 1, 2, 2, 2, 2]
    assert [e.can_reply for e in entries] == [True, True, False, False, False, False]


def test_pages_hold_whole_threads():
    comments = [fake(n) for n in range(1, 121)] + [fake(1000, parent=60, depth=1)]
    thread = Thread(sorted(comments, key=lambda c: c.pk), per_page=50, max_depth=5)
    assert thread.num_pages == 3
    second = [e.comment.pk for e in thread.page(2)]
    assert second[0] == 51 and 1000 in second and second.index(1000) == second.index(60) + 1
    assert thread.page_of(1000) == 2
    assert thread.clamp(99) == 3 and thread.clamp(0) == 1


@pytest.mark.django_db
def test_rendered_thread_nests_replies_inside_their_parents(client):
    post = PostFactory()
    root = CommentFactory(post=post)
    reply = CommentFactory(post=post, parent=root, depth=1)
    deeper = CommentFactory(post=post, parent=reply, depth=2)
    sibling = CommentFactory(post=post)
    page = client.get(post.get_absolute_url()).content.decode()
    tree = lxml.html.fromstring(page)
    assert tree.xpath(f'//li[@id="comment-{root.pk}"]/ol/li[@id="comment-{reply.pk}"]'
                      f'/ol/li[@id="comment-{deeper.pk}"]')
    assert tree.xpath(f'//ol[@class="comment-list"]/li[@id="comment-{sibling.pk}"]')
    assert "4 Responses" in page


@pytest.mark.django_db
def test_reply_below_the_depth_limit_joins_the_deepest_allowed_level(client, settings):
    settings.COMMENTS_MAX_DEPTH = 2
    post = PostFactory()
    root = CommentFactory(post=post)
    reply = CommentFactory(post=post, parent=root, depth=1)
    page = client.get(post.get_absolute_url()).content.decode()
    assert f"replytocom={root.pk}" in page and f"replytocom={reply.pk}" not in page
    client.post(reverse("comments:post", args=[post.pk]), form_data(post, parent=reply.pk))
    answer = Comment.objects.latest("pk")
    assert (answer.parent, answer.depth) == (root, 1)


@pytest.mark.django_db
def test_place_in_thread_at_default_depth():
    comment = CommentFactory()
    for depth in range(1, 5):
        reply = Comment(post=comment.post, parent=comment)
        services.place_in_thread(reply, max_depth=5)
        assert reply.depth == depth
        reply.save()
        comment = reply
    too_deep = Comment(post=comment.post, parent=comment)
    services.place_in_thread(too_deep, max_depth=5)
    assert (too_deep.parent, too_deep.depth) == (comment.parent, 4)


@pytest.mark.django_db
def test_cpage_pages_a_long_thread(client, settings):
    settings.COMMENTS_PER_PAGE = 2
    post = PostFactory()
    _, second, _ = (CommentFactory(post=post, body=f"Number {n}") for n in range(3))
    CommentFactory(post=post, parent=second, depth=1, body="A reply")
    page_one = client.get(post.get_absolute_url()).content.decode()
    assert "Number 0" in page_one and "A reply" in page_one and "Number 2" not in page_one
    assert "?cpage=2#comments" in page_one
    page_two = client.get(post.get_absolute_url(), {"cpage": 2}).content.decode()
    assert "Number 2" in page_two and "Number 0" not in page_two
    assert ">#4</a>" in page_two  # numbering runs on across pages, replies included
    assert "Older comments" in page_two and "Newer comments" not in page_two
    assert client.get(post.get_absolute_url(), {"cpage": "nonsense"}).status_code == 200


@pytest.mark.django_db
def test_permalink_redirects_to_the_page_that_shows_the_comment(client, settings):
    settings.COMMENTS_PER_PAGE = 1
    post = PostFactory()
    CommentFactory(post=post)
    later = CommentFactory(post=post)
    response = client.get(later.get_absolute_url())
    assert response["Location"] == f"{post.get_absolute_url()}?cpage=2#comment-{later.pk}"


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "post_status"), [
    (PENDING, "published"), (Comment.Status.SPAM, "published"), (APPROVED, "draft")])
def test_permalink_of_a_comment_nobody_may_see_is_404(status, post_status):
    comment = CommentFactory(status=status, post=PostFactory(status=post_status))
    assert Client().get(comment.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_permalink_of_ones_own_pending_comment_works(client):
    post = PostFactory()
    client.post(reverse("comments:post", args=[post.pk]), form_data(post))
    comment = Comment.objects.get()
    assert client.get(comment.get_absolute_url()).status_code == 302
