import io
import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from posts.models import Post
from tests.factories import (
    AuthorFactory,
    BlogFactory,
    CategoryFactory,
    PageFactory,
    PostFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db

OUR_APPS = {"posts", "comments", "archive", "linkbacks"}


def png_bytes(size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def one_of_everything():
    post = PostFactory(categories=[CategoryFactory()], tags=[TagFactory()],
                       author=AuthorFactory(), blog=BlogFactory())
    PageFactory()
    return post


def test_every_changelist_add_and_change_form_loads(admin_client, admin_user, one_of_everything):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        base = f"admin:{opts.app_label}_{opts.model_name}"
        assert admin_client.get(reverse(f"{base}_changelist")).status_code == 200, opts
        if opts.app_label in OUR_APPS and model_admin.has_add_permission(request):
            assert admin_client.get(reverse(f"{base}_add")).status_code == 200, opts
        obj = model._default_manager.first()
        if obj is not None:
            assert admin_client.get(reverse(f"{base}_change", args=[obj.pk])).status_code == 200


def test_post_changelist_search_and_filters(admin_client, one_of_everything):
    url = reverse("admin:posts_post_changelist")
    assert admin_client.get(url, {"q": one_of_everything.title}).status_code == 200
    assert admin_client.get(url, {"status__exact": "draft", "kind__exact": "post"}).status_code == 200


def post_form(**overrides):
    data = {
        "kind": "post", "title": "Saving seeds", "slug": "saving-seeds",
        "body": "Dry them *well*.", "body_format": "markdown", "excerpt": "",
        "status": "published", "published_at_0": "2024-05-01", "published_at_1": "10:00:00",
        "comment_status": "open", "ping_status": "open", "menu_order": 0,
        "featured_image_alt": "Seeds on a plate",
    }
    data.update(overrides)
    return data


def test_editor_creates_a_post_with_a_featured_image(admin_client):
    upload = SimpleUploadedFile("seeds.png", png_bytes(), content_type="image/png")

    response = admin_client.post(reverse("admin:posts_post_add"),
                                 post_form(featured_image=upload))

    assert response.status_code == 302, response.context["adminform"].form.errors
    post = Post.objects.get(slug="saving-seeds")
    assert post.featured_image.width == 40
    assert "Seeds on a plate" in admin_client.get(post.get_absolute_url()).text


def test_the_post_editor_is_markdownx_and_addresses_without_a_scheme_are_https(admin_client):
    page = admin_client.get(reverse("admin:posts_post_add")).text
    assert 'class="markdownx"' in page and "data-markdownx-urls-path" in page

    response = admin_client.post(reverse("admin:posts_post_add"),
                                 post_form(original_url="archive.example/saving-seeds/"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Post.objects.get().original_url == "https://archive.example/saving-seeds/"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("fake.png", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "not an image"),
        ("page.png", b"<html><script>alert(1)</script></html>", "not an image"),
        ("huge.png", None, "more than this site accepts"),
    ],
)
def test_a_bad_image_is_a_form_error_not_a_crash(admin_client, settings, name, content, message):
    settings.IMAGE_MAX_PIXELS = 100
    upload = SimpleUploadedFile(name, content or png_bytes((20, 20)), content_type="image/png")

    response = admin_client.post(reverse("admin:posts_post_add"),
                                 post_form(featured_image=upload))

    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors["featured_image"])
    assert not Post.objects.exists()


def test_markdownx_image_upload_accepts_images_and_refuses_others(admin_client):
    ok = admin_client.post("/markdownx/upload/",
                           {"image": SimpleUploadedFile("a.png", png_bytes(), "image/png")},
                           HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    bad = admin_client.post("/markdownx/upload/",
                            {"image": SimpleUploadedFile("a.svg", b"<svg/>", "image/svg+xml")},
                            HTTP_X_REQUESTED_WITH="XMLHttpRequest")

    assert ok.status_code == 200 and "image_code" in ok.json()
    assert bad.status_code == 400


def test_publish_and_unpublish_actions(admin_client):
    draft = PostFactory(status="draft", published_at=None)
    url = reverse("admin:posts_post_changelist")

    admin_client.post(url, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == "published" and draft.published_at is not None

    response = admin_client.post(url, {"action": "unpublish", "_selected_action": [draft.pk]},
                                 follow=True)
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert "1 post was unpublished." in response.text


def test_publishing_an_archived_post_never_invents_a_date(admin_client):
    archived = PostFactory(status="draft", published_at=None, imported_at=timezone.now())
    admin_client.post(reverse("admin:posts_post_changelist"),
                      {"action": "publish", "_selected_action": [archived.pk]})
    archived.refresh_from_db()
    assert archived.status == "published" and archived.published_at is None


def test_uploaded_images_lose_their_exif_and_get_a_generated_name(admin_client):
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPS position
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), "red").save(buffer, "JPEG", exif=exif)
    assert b"Camera maker" in buffer.getvalue()
    upload = SimpleUploadedFile("../../evil name.php.jpg", buffer.getvalue(), "image/jpeg")

    response = admin_client.post(reverse("admin:posts_post_add"),
                                 post_form(featured_image=upload))

    assert response.status_code == 302
    post = Post.objects.get(slug="saving-seeds")
    stored = post.featured_image.read()
    assert b"Camera maker" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()
    name = post.featured_image.name.rsplit("/", 1)[-1]
    assert name.endswith(".jpg") and "evil" not in name and ".php" not in name


def test_editor_image_uploads_get_a_generated_name_from_their_real_format(admin_client, settings):
    upload = SimpleUploadedFile("page.html", png_bytes(), content_type="image/png")

    response = admin_client.post("/markdownx/upload/", {"image": upload},
                                 HTTP_X_REQUESTED_WITH="XMLHttpRequest")

    assert response.status_code == 200
    url = re.search(r"\((.*?)\)", response.json()["image_code"]).group(1)
    assert url.endswith(".png") and "page" not in url
    stored = Path(settings.MEDIA_ROOT) / url.removeprefix(settings.MEDIA_URL).lstrip("/")
    with Image.open(stored) as image:
        assert image.format == "PNG"


def test_editor_image_upload_refuses_what_pillow_cannot_read(admin_client):
    fake = SimpleUploadedFile("x.png", b"<html><script>alert(1)</script>", content_type="image/png")
    response = admin_client.post("/markdownx/upload/", {"image": fake},
                                 HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 400
    assert "not an image" in response.text
