"""Imported WordPress content as readers see it: shortcodes, block comments, the more tag,
titles, and WordPress-style post passwords."""

import pytest

from posts import rendering, wordpress
from posts.models import Media
from posts.protection import COOKIE_PREFIX
from tests.factories import CommentFactory, PostFactory
from tests.html import main_text, unsafe_parts


def html(content: str) -> str:
    return str(rendering.render(content, "html"))


# Shortcodes -----------------------------------------------------------------------------------------


def test_a_caption_becomes_a_figure_with_its_caption():
    out = html('[caption id="attachment_1" align="aligncenter" width="640" caption="A <b>husk</b>"]'
               '<a href="https://x.example/a.jpg"><img src="https://x.example/a.jpg" alt="husk" />'
               "</a>[/caption]")
    assert out == ('<figure><a href="https://x.example/a.jpg" rel="noopener"><img '
                   'src="https://x.example/a.jpg" alt="husk"></a><figcaption>A <b>husk</b>'
                   "</figcaption></figure>")


def test_a_caption_may_follow_the_image_instead_of_an_attribute():
    out = html('[caption width="580"]<img src="https://x.example/b.jpg" /> Look at <em>this</em>.'
               "[/caption]")
    assert out == ('<figure><img src="https://x.example/b.jpg"><figcaption>Look at <em>this</em>.'
                   "</figcaption></figure>")


def test_audio_and_video_become_players_with_a_link_to_fall_back_on():
    audio = html("[audio https://x.example/blues.mp3]")
    assert audio == ('<audio controls="" preload="none"><source src="https://x.example/blues.mp3" '
                     'type="audio/mpeg"><a href="https://x.example/blues.mp3" rel="noopener">'
                     "https://x.example/blues.mp3</a></audio>")
    video = html('[video width="640" height="360" mp4="https://x.example/v.mp4" '
                 'poster="https://x.example/p.jpg"][/video]')
    assert video.startswith('<video controls="" preload="none" poster="https://x.example/p.jpg" '
                            'width="640" height="360"><source src="https://x.example/v.mp4" '
                            'type="video/mp4">')


def test_an_embed_becomes_a_link_not_a_third_party_player():
    assert html("[embed]https://www.youtube.com/watch?v=abc[/embed]") == (
        '<p><a href="https://www.youtube.com/watch?v=abc" rel="noopener">'
        "https://www.youtube.com/watch?v=abc</a></p>")


@pytest.mark.django_db
def test_a_gallery_shows_the_attachments_it_names():
    Media.objects.create(wp_id=5, url="https://x.example/one.jpg", alt_text="One")
    Media.objects.create(wp_id=6, url="https://x.example/two.jpg", caption="Second")
    out = html('[gallery ids="6,5,99"]')
    assert out.index("two.jpg") < out.index("one.jpg")
    assert "<figcaption>Second</figcaption>" in out
    assert html("[gallery]") == ""


def test_unknown_shortcodes_and_bare_brackets_stay_text():
    text = "Coracles [simple boat] and [contact-form id=3] and [[caption]] stay."
    assert wordpress.expand_shortcodes(text) == (
        "Coracles [simple boat] and [contact-form id=3] and [caption] stay.")


@pytest.mark.parametrize("payload", [
    '[audio src="javascript:alert(1)"]',
    '[video poster="javascript:alert(1)" src="https://x.example/v.mp4"]',
    '[caption caption="<script>alert(1)</script>"]<img src=x onerror=alert(1)>[/caption]',
    '[embed]https://x.example/" onmouseover="alert(1)[/embed]',
    '[gallery ids="1" onload="alert(1)"]',
])
@pytest.mark.django_db
def test_shortcodes_cannot_smuggle_script(payload):
    Media.objects.create(wp_id=1, url='https://x.example/"><script>alert(1)</script>',
                         alt_text='" onerror="alert(1)')
    assert unsafe_parts(html(payload)) == []


def test_block_comments_never_show_and_nextpage_is_kept_but_hidden():
    body = "<!-- wp:paragraph -->\n<p>One</p>\n<!-- /wp:paragraph -->\n<!--nextpage-->\n<p>Two</p>"
    assert html(body) == "<p>One</p>\n\n<p>Two</p>"


@pytest.mark.parametrize(("marker", "link"), [
    ("<!--more-->", "Continue reading"),
    ("<!-- more -->", "Continue reading"),
    ("<!--more Read the rest-->", "Read the rest"),
])
@pytest.mark.django_db
def test_the_more_tag_cuts_the_teaser_in_both_spellings(client, marker, link):
    PostFactory(title="Beans", body=f"<p>Before</p>\n{marker}\n<p>After</p>", body_format="html")
    page = main_text(client.get("/"))
    assert "Before" in page and "After" not in page
    assert f">{link}<" in page


# Post passwords -------------------------------------------------------------------------------------


@pytest.fixture
def protected(db):
    post = PostFactory(title="Secret beans", body="<p>The secret is manure.</p>",
                       body_format="html", password="enter")
    CommentFactory(post=post, body="What a secret!")
    return post


def test_a_protected_post_asks_for_its_password(client, protected):
    response = client.get(protected.get_absolute_url())
    page = main_text(response)
    assert "This content is password protected." in page
    assert 'type="password"' in page
    assert "manure" not in page and "What a secret!" not in page
    assert "Cookie" in response["Vary"]
    assert "private" in response["Cache-Control"]


def test_the_wrong_password_is_refused(client, protected):
    response = client.post(protected.get_absolute_url(), {"post_password": "wrong"})
    assert response.status_code == 403
    assert "That is not the password for this post." in response.text
    assert "manure" not in response.text


def test_the_right_password_shows_the_text_and_comments(client, protected):
    response = client.post(protected.get_absolute_url(), {"post_password": "enter"})
    assert response.status_code == 302
    assert response["Location"] == protected.get_absolute_url()
    cookie = response.cookies[f"{COOKIE_PREFIX}{protected.pk}"]
    assert "enter" not in cookie.value and cookie["httponly"]
    page = main_text(client.get(protected.get_absolute_url()))
    assert "The secret is manure." in page
    assert "What a secret!" in page


def test_tries_at_a_password_are_limited_per_address(client, protected, settings):
    settings.POSTS_PASSWORD_TRIES = 3
    url = protected.get_absolute_url()
    for _ in range(3):
        assert client.post(url, {"post_password": "wrong"}).status_code == 403
    refused = client.post(url, {"post_password": "enter"})
    assert refused.status_code == 429 and refused["Retry-After"] == "900"
    assert "Too many tries at this password from your address." in main_text(refused)
    assert f"{COOKIE_PREFIX}{protected.pk}" not in refused.cookies
    assert "manure" not in refused.text
    elsewhere = client.post(url, {"post_password": "enter"}, REMOTE_ADDR="192.0.2.7")
    assert elsewhere.status_code == 302


def test_changing_the_password_locks_the_post_again(client, protected):
    client.post(protected.get_absolute_url(), {"post_password": "enter"})
    protected.password = "beans"
    protected.save()
    assert "manure" not in main_text(client.get(protected.get_absolute_url()))


def test_a_grant_opens_only_its_own_post(client, protected):
    other = PostFactory(title="Other secret", body="<p>Compost.</p>", body_format="html",
                        password="enter")
    client.post(protected.get_absolute_url(), {"post_password": "enter"})
    client.cookies[f"{COOKIE_PREFIX}{other.pk}"] = client.cookies[f"{COOKIE_PREFIX}{protected.pk}"]
    assert "Compost." not in main_text(client.get(other.get_absolute_url()))


def test_lists_say_a_post_is_protected_instead_of_showing_its_teaser(client, protected):
    page = main_text(client.get("/"))
    assert "This content is password protected." in page
    assert "manure" not in page


@pytest.mark.django_db
def test_an_unprotected_post_refuses_a_password_post(client):
    post = PostFactory()
    assert client.post(post.get_absolute_url(), {"post_password": "x"}).status_code == 405
