"""Every rule of the moderation policy, each on its own."""

import datetime
import time

import pytest
from django.utils import timezone

from comments.models import Comment
from comments.moderation import MatchList, Rejected
from tests.factories import AuthorFactory, CommentFactory, PostFactory, UserFactory

from .conftest import policy

pytestmark = pytest.mark.django_db

APPROVED, PENDING, SPAM = Comment.Status.APPROVED, Comment.Status.PENDING, Comment.Status.SPAM


def unsaved(post=None, **fields):
    values = {"author_name": "Ann Gardener", "author_email": "ann@example.org",
              "body": "The beans came up at last.", "ip_address": "203.0.113.5"}
    values.update(fields)
    return Comment(post=post or PostFactory(), **values)


# --- publish, hold or spam ---------------------------------------------------------------

def test_every_comment_is_held_by_default():
    assert policy().decide(unsaved()).status == PENDING


def test_without_hold_all_a_plain_comment_is_published():
    assert policy(hold_all=False).decide(unsaved()).status == APPROVED


def test_known_authors_are_approved_when_enabled():
    post = PostFactory()
    CommentFactory(post=post, author_name="Ann Gardener", author_email="ANN@example.org")
    assert policy(auto_approve_known=True).decide(unsaved(post)).status == APPROVED
    assert policy(auto_approve_known=False).decide(unsaved(post)).status == PENDING


@pytest.mark.parametrize("earlier", [
    {"author_name": "Someone Else", "author_email": "ann@example.org"},
    {"author_name": "Ann Gardener", "author_email": "other@example.org"},
    {"author_name": "Ann Gardener", "author_email": "ann@example.org", "status": PENDING},
    {"author_name": "Ann Gardener", "author_email": "ann@example.org", "status": SPAM},
])
def test_known_author_needs_same_name_and_email_and_an_approved_comment(earlier):
    CommentFactory(**earlier)
    assert policy(auto_approve_known=True).decide(unsaved()).status == PENDING


def test_more_links_than_allowed_are_held():
    lenient = policy(hold_all=False, max_links=2)
    two = "See https://a.example/x and www.b.example/y."
    three = two + " Also http://c.example/."
    assert lenient.decide(unsaved(body=two)).status == APPROVED
    decision = lenient.decide(unsaved(body=three))
    assert decision.status == PENDING and "links" in decision.reason


@pytest.mark.parametrize(("lists", "fields"), [
    ({"words": ("casino",)}, {"body": "Best CASINO bonus!"}),
    ({"words": ("cheap pills",)}, {"author_name": "Cheap Pills"}),
    ({"ips": ("198.51.100.0/24",)}, {"ip_address": "198.51.100.77"}),
    ({"ips": ("2001:db8::/32",)}, {"ip_address": "2001:db8:1::5"}),
    ({"emails": ("spam@example.net",)}, {"author_email": "Spam@Example.net"}),
    ({"emails": ("@example.net",)}, {"author_email": "anyone@example.net"}),
    ({"urls": ("pills.example",)}, {"author_url": "https://www.pills.example/buy"}),
    ({"urls": ("pills.example",)}, {"body": "Visit http://pills.example/now"}),
])
def test_blocklist_sends_matches_to_spam(lists, fields):
    decision = policy(hold_all=False, blocklist=MatchList(**lists)).decide(unsaved(**fields))
    assert decision.status == SPAM
    assert decision.reason.startswith("blocklist")


@pytest.mark.parametrize(("lists", "fields"), [
    ({"words": ("ass",)}, {"body": "A classic bean, grown in class."}),
    ({"ips": ("198.51.100.0/24",)}, {"ip_address": "198.51.101.1"}),
    ({"ips": ("not an address",)}, {"ip_address": "198.51.100.1"}),
    ({"emails": ("@example.net",)}, {"author_email": "ann@example.network"}),
    ({"urls": ("pills.example",)}, {"author_url": "https://beans.example/"}),
])
def test_blocklist_leaves_non_matches_alone(lists, fields):
    decision = policy(hold_all=False, blocklist=MatchList(**lists)).decide(unsaved(**fields))
    assert decision.status == APPROVED


def test_hold_list_sends_matches_to_the_queue():
    lenient = policy(hold_all=False, holdlist=MatchList(words=("compost tea",)))
    decision = lenient.decide(unsaved(body="Has anyone tried compost tea?"))
    assert decision.status == PENDING and decision.reason.startswith("hold list")
    assert lenient.decide(unsaved(body="Compost is good.")).status == APPROVED


def test_blocklist_wins_over_hold_list_and_known_authors():
    CommentFactory(author_name="Ann Gardener", author_email="ann@example.org")
    strict = policy(auto_approve_known=True, blocklist=MatchList(words=("casino",)),
                    holdlist=MatchList(words=("casino",)))
    assert strict.decide(unsaved(body="casino")).status == SPAM


def test_moderators_are_trusted(moderator):
    strict = policy(blocklist=MatchList(words=("casino",)))
    assert strict.decide(unsaved(body="casino", user=moderator)).status == APPROVED
    reader = UserFactory()
    assert strict.decide(unsaved(body="casino", user=reader)).status == SPAM


# --- refuse outright ---------------------------------------------------------------------

def test_honeypot():
    assert policy().honeypot_problem("") == ""
    assert policy().honeypot_problem("http://bot.example/")


def test_token_accepts_a_form_filled_in_at_human_speed():
    post = PostFactory()
    assert policy(min_seconds=0).token_problem(policy().issue_token(post), post) == ""


def test_token_refuses_a_form_sent_too_fast():
    post = PostFactory()
    problem = policy(min_seconds=60).token_problem(policy().issue_token(post), post)
    assert "quick" in problem


def test_token_refuses_an_expired_form(monkeypatch):
    post = PostFactory()
    token = policy().issue_token(post)
    later = time.time() + 3 * 60 * 60
    monkeypatch.setattr(time, "time", lambda: later)
    assert "too long" in policy(form_max_age=60 * 60).token_problem(token, post)


@pytest.mark.parametrize("mangle", [lambda t: t + "x", lambda t: "nonsense", lambda t: ""])
def test_token_refuses_a_damaged_form(mangle):
    post = PostFactory()
    assert "damaged" in policy().token_problem(mangle(policy().issue_token(post)), post)


def test_token_belongs_to_one_post():
    post, other = PostFactory(), PostFactory()
    assert "another post" in policy().token_problem(policy().issue_token(other), post)


def test_duplicate_same_author_same_text_same_post():
    post = PostFactory()
    CommentFactory(post=post, author_name="Ann Gardener", author_email="x@example.org",
                   body="The beans came up at last.", status=PENDING)
    assert policy().duplicate(unsaved(post))
    assert not policy().duplicate(unsaved(post, body="Something new."))
    assert not policy().duplicate(unsaved(PostFactory()))


def test_duplicate_ignores_what_was_trashed():
    post = PostFactory()
    CommentFactory(post=post, author_name="Ann Gardener", body="The beans came up at last.",
                   status=Comment.Status.TRASH)
    assert not policy().duplicate(unsaved(post))


def test_rate_limit_per_address():
    limited = policy(rate_limit=2, rate_period=60)
    assert [limited.over_rate_limit("203.0.113.9") for _ in range(3)] == [False, False, True]
    assert limited.over_rate_limit("203.0.113.10") is False


def test_rate_limit_counts_an_ipv6_slash_64_as_one_reader():
    limited = policy(rate_limit=1, rate_period=60)
    assert limited.over_rate_limit("2001:db8:1:2::1") is False
    assert limited.over_rate_limit("2001:db8:1:2:ffff::9") is True
    assert limited.over_rate_limit("2001:db8:1:3::1") is False


def test_maximum_length():
    assert policy(max_length=20).too_long(unsaved(body="x" * 21))
    assert not policy(max_length=20).too_long(unsaved(body="x" * 20))


def test_auto_close_after_n_days():
    old = PostFactory(published_at=timezone.now() - datetime.timedelta(days=60))
    recent = PostFactory(published_at=timezone.now() - datetime.timedelta(days=5))
    undated = PostFactory(published_at=None)
    closing = policy(close_after_days=30)
    assert [closing.accepts_comments(p) for p in (old, recent, undated)] == [False, True, False]
    assert policy(close_after_days=None).accepts_comments(old)


def test_closed_post_refuses_comments():
    assert not policy().accepts_comments(PostFactory(comment_status="closed"))


@pytest.mark.parametrize(("post_fields", "changes", "status"), [
    ({"comment_status": "closed"}, {}, 403),
    ({}, {"rate_limit": 0}, 429),
    ({}, {"max_length": 5}, 400),
])
def test_check_raises_with_the_right_status(post_fields, changes, status):
    with pytest.raises(Rejected) as rejected:
        policy(**changes).check(unsaved(PostFactory(**post_fields)))
    assert rejected.value.status == status


def test_moderators_are_not_rate_limited(moderator):
    policy(rate_limit=0).check(unsaved(user=moderator))


# --- whom to tell ------------------------------------------------------------------------

def test_held_comments_are_reported_to_moderators_and_the_post_author(moderator, admin_user):
    post = PostFactory(author=AuthorFactory(email="writer@example.org"))
    UserFactory(email="reader@example.org")  # not a moderator
    comment = unsaved(post, status=PENDING)
    assert policy().moderation_recipients(comment) == sorted(
        ["moderator@example.org", admin_user.email, "writer@example.org"])
    assert policy(notify_moderators=False).moderation_recipients(comment) == ["writer@example.org"]
    assert policy(notify_post_author=False, notify_moderators=False).moderation_recipients(
        comment) == []
    assert policy().moderation_recipients(unsaved(post, status=APPROVED)) == []


def test_reply_notice_only_when_asked_for_and_not_to_oneself():
    parent = CommentFactory(author_email="ann@example.org", notify_replies=True)
    reply = unsaved(parent.post, parent=parent, author_email="bob@example.org", status=APPROVED)
    assert policy().reply_recipient(reply) == "ann@example.org"
    assert policy().reply_recipient(unsaved(parent.post, parent=parent, status=PENDING)) == ""
    own = unsaved(parent.post, parent=parent, author_email="ANN@example.org", status=APPROVED)
    assert policy().reply_recipient(own) == ""
    parent.notify_replies = False
    assert policy().reply_recipient(reply) == ""
