"""A reader comments on "On Stalin", a moderator approves it in the admin, everyone sees it."""

import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from comments.models import Comment
from posts.models import Post
from tests.factories import CommentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

POST_PATH = "/2007/10/21/on-stalin/"


@pytest.fixture
def on_stalin(settings):
    # A person types for longer than this rule allows a machine; a test browser does not.
    settings.COMMENTS_MIN_SECONDS = 0
    call_command("import_seeds", stdout=io.StringIO())
    return Post.objects.get(slug="on-stalin")


@pytest.fixture
def moderator():
    user = UserFactory(username="moderator", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderator"))
    return user


def leave_comment(page, body, **reader):
    page.get_by_role("textbox", name="Name").fill(reader.get("name", "Ann Gardener"))
    page.get_by_role("textbox", name="Email").fill(reader.get("email", "ann@example.org"))
    page.get_by_role("textbox", name="Comment").fill(body)
    page.get_by_role("button", name="Post Comment").click()


def approve_in_admin(page, live_server, body):
    page.goto(f"{live_server.url}{reverse('admin:index')}")
    page.get_by_label("Username").fill("moderator")
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}{reverse('admin:comments_comment_changelist')}?status__exact=pending")
    row = page.locator("#result_list tbody tr", has_text=body[:40])
    row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option("approve")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_text("1 comment was approved.")).to_be_visible()


def test_reader_comments_moderator_approves_everyone_sees_it(
        live_server, new_page, screenshot, on_stalin, moderator):
    body = "Thank you for keeping this essay online."
    reader = new_page()
    reader.goto(f"{live_server.url}{POST_PATH}")
    expect(reader.get_by_role("heading", name="On Stalin", exact=True)).to_be_visible()
    leave_comment(reader, body)
    comment = Comment.objects.get(body=body)
    expect(reader).to_have_url(re.compile(rf"{POST_PATH}#comment-{comment.pk}$"))
    mine = reader.locator(f"#comment-{comment.pk}")
    expect(mine).to_contain_text(body)
    expect(mine).to_contain_text("Your comment is awaiting moderation.")
    screenshot(reader, "1-awaiting-moderation")

    stranger = new_page()
    stranger.goto(f"{live_server.url}{POST_PATH}")
    expect(stranger.get_by_text(body)).to_have_count(0)

    admin = new_page()
    approve_in_admin(admin, live_server, body)
    screenshot(admin, "2-approved-in-admin")

    later = new_page()
    later.goto(f"{live_server.url}{POST_PATH}")
    published = later.locator(f"#comment-{comment.pk}")
    expect(published).to_contain_text(body)
    expect(published).not_to_contain_text("awaiting moderation")
    # The archived thread had three comments and a pingback; the reader's is the fifth.
    expect(later.locator("#comments-title")).to_have_text("5 Responses to “On Stalin”")
    screenshot(later, "3-published")


def test_reply_in_a_thread_moves_the_form_and_nests_the_reply(
        live_server, new_page, screenshot, on_stalin, moderator):
    parent = CommentFactory(post=on_stalin, author_name="Cy", body="Which edition was this?")
    reader = new_page()
    reader.goto(f"{live_server.url}{POST_PATH}")
    reader.get_by_role("link", name="Reply to Cy").click()
    # comments.js has moved the form under Cy's comment, without leaving the page.
    expect(reader.locator(f"#comment-{parent.pk} #respond")).to_be_visible()
    expect(reader.locator("#reply-title-text")).to_have_text("Reply to Cy")
    screenshot(reader, "1-form-under-comment")
    leave_comment(reader, "The 1990 reprint, I believe.", name="Bea", email="bea@example.org")
    reply = Comment.objects.get(parent=parent)
    nested = reader.locator(f"#comment-{parent.pk} > ol.children > #comment-{reply.pk}")
    expect(nested).to_contain_text("Your comment is awaiting moderation.")

    approve_in_admin(new_page(), live_server, "The 1990 reprint")
    later = new_page()
    later.goto(f"{live_server.url}{POST_PATH}")
    expect(later.locator(f"#comment-{parent.pk} > ol.children > #comment-{reply.pk}")).to_contain_text(
        "The 1990 reprint, I believe.")
    screenshot(later, "2-reply-published")


def test_reply_link_works_without_javascript(live_server, new_page, on_stalin):
    parent = CommentFactory(post=on_stalin, author_name="Cy")
    reader = new_page(java_script_enabled=False)
    reader.goto(f"{live_server.url}{POST_PATH}")
    reader.get_by_role("link", name="Reply to Cy").click()
    expect(reader).to_have_url(re.compile(rf"replytocom={parent.pk}#respond$"))
    expect(reader.locator("#reply-title-text")).to_have_text("Reply to Cy")
    leave_comment(reader, "Answered without any script.")
    assert Comment.objects.get(parent=parent).body == "Answered without any script."
