"""Sending linkbacks when a post is published or updated, to live receivers on a real local
server: endpoint discovery, exactly one notification per target and version of the post,
records of every attempt, retries with backoff, and the same address limits as receiving."""

import datetime
import xmlrpc.client
from urllib.parse import parse_qs

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from linkbacks import sending, tasks
from linkbacks.models import OutgoingLinkback
from posts import services
from posts.models import Post
from tests.factories import PostFactory
from tests.linkbacks.http_server import Reply

pytestmark = pytest.mark.django_db

Status = OutgoingLinkback.Status
SITE = "http://blog.example"


def xmlrpc_reply(value):
    body = xmlrpc.client.dumps(value if isinstance(value, xmlrpc.client.Fault) else (value,),
                               methodresponse=True)
    return Reply(headers=[("Content-Type", "text/xml")], body=body.encode())


@pytest.fixture
def receiver(http_server, linkback_settings):
    """A site whose pages advertise a Webmention endpoint, a Pingback endpoint, both, or none."""
    linkback_settings.SITE_URL = SITE
    http_server.page("/webmention", "Accepted", status=202)
    http_server.add("/xmlrpc", lambda request: xmlrpc_reply("Registered"))
    http_server.page("/wm", "<p>Hi</p>", headers=[("Link", '</webmention>; rel="webmention"')])
    http_server.page("/pb", "<p>Hi</p>", headers=[("X-Pingback", http_server.url("/xmlrpc"))])
    http_server.page("/both", "<link rel=pingback href=/xmlrpc><link rel=webmention href=/webmention>")
    http_server.page("/plain", "<p>No endpoints.</p>")
    return http_server


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run `change()` as a request would: the sending task runs once it has committed."""

    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            return change()

    return run


def posted(server, path):
    return [request for request in server.requests if request.method == "POST" and request.path == path]


def records(post):
    return {record.target: (record.protocol, record.status)
            for record in OutgoingLinkback.objects.filter(post=post)}


def publish(post):
    services.set_status(Post.objects.filter(pk=post.pk), Post.Status.PUBLISHED)


def test_publishing_notifies_each_target_once(receiver, send):
    wm, pb, both, plain = (receiver.url(path) for path in ("/wm", "/pb", "/both", "/plain"))
    post = send(lambda: PostFactory(
        status=Post.Status.DRAFT,
        body=f"[Beans]({wm}), [more beans]({wm}#later), [peas]({pb}), [both]({both}), [none]({plain}).",
    ))
    assert receiver.requests == []  # a draft sends nothing

    send(lambda: publish(post))

    source = SITE + post.get_absolute_url()
    mentions = [parse_qs(request.body.decode()) for request in posted(receiver, "/webmention")]
    assert mentions == [{"source": [source], "target": [wm]}, {"source": [source], "target": [both]}]
    (pingback,) = posted(receiver, "/xmlrpc")
    assert xmlrpc.client.loads(pingback.body) == ((source, pb), "pingback.ping")
    assert records(post) == {
        wm: ("webmention", "sent"), pb: ("pingback", "sent"), both: ("webmention", "sent"),
        plain: ("", "no_endpoint"),
    }
    assert OutgoingLinkback.objects.get(target=pb).response == "Registered"

    seen = len(receiver.requests)
    send(lambda: Post.objects.get(pk=post.pk).save())

    assert len(receiver.requests) == seen  # unchanged: not even a discovery fetch


def test_an_edit_tells_webmention_targets_again_and_pingbacks_never(receiver, send):
    wm, pb, both = (receiver.url(path) for path in ("/wm", "/pb", "/both"))
    post = send(lambda: PostFactory(body=f"[a]({wm}) [b]({pb}) [c]({both})"))

    post.body = f"Edited: [a]({wm}) [b]({pb})"
    send(post.save)

    targets = [parse_qs(request.body.decode())["target"][0] for request in posted(receiver, "/webmention")]
    assert sorted(targets) == sorted([wm, both, wm, both])  # `both` learns the link is gone
    assert len(posted(receiver, "/xmlrpc")) == 1
    assert records(post)[both] == ("webmention", "unlinked")

    seen = len(receiver.requests)
    send(post.save)
    assert len(receiver.requests) == seen


def test_links_to_our_own_site_are_skipped_unless_self_pings(receiver, send, linkback_settings):
    linkback_settings.SITE_URL = receiver.url("")
    post = send(lambda: PostFactory(body=f"[mine]({receiver.url('/wm')})"))
    assert receiver.requests == [] and records(post) == {}

    linkback_settings.LINKBACKS_SELF_PINGS = True
    post.body += " (updated)"
    send(post.save)
    assert len(posted(receiver, "/webmention")) == 1


def test_transient_failures_are_retried_with_backoff(receiver, send, linkback_settings):
    linkback_settings.LINKBACKS_RETRY_DELAY = 60
    answers = iter([Reply(status=503), Reply(status=429), Reply(status=202)])
    receiver.add("/webmention", lambda request: next(answers))
    post = send(lambda: PostFactory(body=f"[a]({receiver.url('/wm')})"))

    record = OutgoingLinkback.objects.get(post=post)
    assert (record.status, record.attempts) == (Status.RETRYING, 1)
    assert record.response == "the endpoint answered HTTP 503"
    assert record.next_retry_at == record.last_attempt_at + datetime.timedelta(seconds=60)

    assert sending.retry_due(now=record.next_retry_at - datetime.timedelta(seconds=1)) == {}
    sending.retry_due(now=record.next_retry_at)
    record.refresh_from_db()
    assert (record.status, record.attempts) == (Status.RETRYING, 2)
    assert record.next_retry_at == record.last_attempt_at + datetime.timedelta(seconds=120)

    sending.retry_due(now=record.next_retry_at)
    record.refresh_from_db()
    assert (record.status, record.attempts, record.next_retry_at) == (Status.SENT, 3, None)
    assert len(posted(receiver, "/webmention")) == 3


def test_transient_failures_end_after_the_last_attempt(receiver, send, linkback_settings):
    linkback_settings.LINKBACKS_SEND_ATTEMPTS = 2
    receiver.page("/webmention", "Down", status=500)
    post = send(lambda: PostFactory(body=f"[a]({receiver.url('/wm')})"))

    record = OutgoingLinkback.objects.get(post=post)
    sending.retry_due(now=record.next_retry_at)

    record.refresh_from_db()
    assert (record.status, record.attempts, record.next_retry_at) == (Status.FAILED, 2, None)


def test_permanent_failures_are_not_retried(receiver, send):
    receiver.page("/webmention", "Bad target", status=400)
    post = send(lambda: PostFactory(body=f"[a]({receiver.url('/wm')})"))

    assert records(post) == {receiver.url("/wm"): ("webmention", "failed")}
    seen = len(receiver.requests)
    send(post.save)
    assert sending.retry_due(now=timezone.now() + datetime.timedelta(days=30)) == {}
    assert len(receiver.requests) == seen


@pytest.mark.parametrize(
    ("fault", "status"),
    [(0x0030, "sent"), (0x0011, "failed"), (0x0032, "retrying")],
)
def test_pingback_faults(receiver, send, fault, status):
    receiver.add("/xmlrpc", lambda request: xmlrpc_reply(xmlrpc.client.Fault(fault, "No.")))
    post = send(lambda: PostFactory(body=f"[a]({receiver.url('/pb')})"))
    assert records(post) == {receiver.url("/pb"): ("pingback", status)}
    assert OutgoingLinkback.objects.get(post=post).response == f"fault {fault}: No."


def test_private_endpoints_are_never_contacted(receiver, send, socket_connects):
    for path, endpoint in (("/a", "http://10.0.0.1/webmention"), ("/b", f"http://127.0.0.2:{receiver.port}/")):
        receiver.page(path, "<p>Hi</p>", headers=[("Link", f'<{endpoint}>; rel="webmention"')])
    post = send(lambda: PostFactory(body=f"[a]({receiver.url('/a')}) [b]({receiver.url('/b')})"))

    assert set(records(post).values()) == {("webmention", "failed")}
    assert {address[0] for address in socket_connects} == {"127.0.0.1"}
    assert [request.path for request in receiver.requests] == ["/a", "/b"]


def test_imported_posts_and_disabled_sending_send_nothing(receiver, send, linkback_settings):
    body = f"[a]({receiver.url('/wm')})"
    send(lambda: PostFactory(body=body, imported_at=timezone.now()))
    linkback_settings.LINKBACKS_SEND = False
    send(lambda: PostFactory(body=body))
    assert receiver.requests == []


def test_two_workers_cannot_claim_the_same_target():
    record = OutgoingLinkback.objects.create(post=PostFactory(), target="https://elsewhere.example/")
    again = OutgoingLinkback.objects.get(pk=record.pk)

    assert sending._claim(record, now=timezone.now())
    assert not sending._claim(again, now=timezone.now())


def test_retries_are_scheduled_when_the_backend_can_defer(receiver, send, settings):
    receiver.page("/webmention", "Busy", status=503)
    post = send(lambda: PostFactory(body=f"[a]({receiver.url('/wm')})"))
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    tasks.schedule_retries()

    (queued,) = tasks.retry_linkbacks.get_backend().results
    assert queued.task.run_after == OutgoingLinkback.objects.get(post=post).next_retry_at


def test_the_command_sends_for_one_post_or_retries_what_is_due(receiver, capsys):
    post = PostFactory(body=f"[a]({receiver.url('/wm')}) [b]({receiver.url('/plain')})")

    call_command("send_linkbacks", "--post", post.pk, "--dry-run")
    assert capsys.readouterr().out.splitlines() == [
        f"would consider: {receiver.url('/wm')}", f"would consider: {receiver.url('/plain')}"]
    assert receiver.requests == []

    call_command("send_linkbacks", "--post", post.pk)
    assert capsys.readouterr().out.strip() == "1 no_endpoint, 1 sent"
    call_command("send_linkbacks")
    assert capsys.readouterr().out.strip() == "Nothing to send."
    with pytest.raises(CommandError):
        call_command("send_linkbacks", "--post", PostFactory(status=Post.Status.DRAFT).pk)


def test_the_admin_shows_attempts_read_only(admin_client):
    record = OutgoingLinkback.objects.create(post=PostFactory(), target="https://elsewhere.example/",
                                             status=Status.SENT, response="HTTP 202")

    listing = admin_client.get("/admin/linkbacks/outgoinglinkback/")
    detail = admin_client.get(f"/admin/linkbacks/outgoinglinkback/{record.pk}/change/")

    assert listing.status_code == 200 and "https://elsewhere.example/" in listing.text
    assert detail.status_code == 200 and "HTTP 202" in detail.text and 'name="_save"' not in detail.text
    assert admin_client.get("/admin/linkbacks/outgoinglinkback/add/").status_code == 403
