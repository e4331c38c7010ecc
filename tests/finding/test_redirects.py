import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from posts.models import LegacyURL
from posts.redirects import remember_legacy_urls, remember_many_legacy_urls
from tests.factories import CategoryFactory, PageFactory, PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported():
    post = PostFactory(
        slug="first-frost", wp_id=42,
        published_at=timezone.make_aware(datetime.datetime(2009, 11, 3, 8)),
        original_url="http://old.example/blog/2009/11/03/first-frost/",
    )
    remember_legacy_urls(post, ["http://old.example/blog/?p=42&replytocom=9", "/archives/42"])
    return post


def moved_to(client, url, target):
    """Permanent redirects only, ending at target (a missing slash is added first, by Django)."""
    chain = client.get(url, follow=True).redirect_chain
    assert chain[-1] == (target, 301), url
    assert {status for _, status in chain} == {301}, url


@pytest.mark.parametrize("url", [
    "/blog/2009/11/03/first-frost/",  # the original permalink
    "/blog/2009/11/03/first-frost",
    "/?p=42",
    "/?p=42&utm_source=old",
    "/index.php?p=42",
    "/blog/?p=42",  # as the importer found it
    "/archives/42/",
    "/2009/11/first-frost/",  # WordPress's month-and-name permalinks
])
def test_old_post_addresses_redirect_permanently(client, imported, url):
    moved_to(client, url, "/2009/11/03/first-frost/")


def test_page_ids_redirect_to_the_page(client):
    page = PageFactory(slug="about", wp_id=7)
    remember_legacy_urls(page)

    moved_to(client, "/?page_id=7", "/about/")
    assert client.get("/?p=7").status_code == 200  # the front page: no post 7 here


def test_old_category_addresses_redirect(client):
    garden = CategoryFactory(slug="garden")
    veg = CategoryFactory(slug="veg", parent=garden)
    remember_legacy_urls(veg, ["/?cat=5"])

    moved_to(client, "/category/garden/veg/", "/category/veg/")
    moved_to(client, "/?cat=5", "/category/veg/")


def test_a_slug_renamed_twice_keeps_both_old_addresses(client):
    post = PostFactory(slug="first", published_at=timezone.make_aware(datetime.datetime(2020, 5, 1)))
    post.slug = "second"
    post.save()
    post.slug = "third"
    post.save()

    moved_to(client, "/2020/05/01/first/", "/2020/05/01/third/")
    moved_to(client, "/2020/05/01/second/", "/2020/05/01/third/")
    assert client.get("/2020/05/01/third/").status_code == 200


def test_a_renamed_page_and_category_keep_their_old_addresses(client):
    page = PageFactory(slug="contact")
    category = CategoryFactory(slug="veg")
    page.slug, category.slug = "write-to-us", "vegetables"
    page.save()
    category.save()

    moved_to(client, "/contact/", "/write-to-us/")
    moved_to(client, "/category/veg/", "/category/vegetables/")


def test_drafts_leave_no_trail_and_are_never_a_target(client):
    draft = PostFactory(slug="draft-one", status="draft", wp_id=9)
    draft.slug = "draft-two"
    draft.save()
    remember_legacy_urls(draft)

    assert not LegacyURL.objects.filter(path__contains="draft-one").exists()
    assert client.get("/?p=9").status_code == 200
    assert client.get(f"/{draft.published_at:%Y/%m}/draft-two/").status_code == 404


def test_remembering_is_idempotent_and_the_latest_claim_wins(imported):
    other = PostFactory(slug="other")

    assert remember_legacy_urls(imported, ["/archives/42"]) == 4
    remember_legacy_urls(other, ["/archives/42"])

    assert LegacyURL.objects.filter(post=imported).count() == 4
    assert LegacyURL.objects.get(path="/archives/42").post == other


def test_in_one_batch_too_the_latest_claim_wins(imported, client):
    other = PostFactory(slug="other")

    remember_many_legacy_urls([(imported, ["/archives/42"]), (other, ["/archives/42"])])

    assert LegacyURL.objects.get(path="/archives/42").post == other
    assert client.get(f"/?p={imported.wp_id}")["Location"] == imported.get_absolute_url()


def test_custom_redirects_from_the_admin_table(client, admin_client):
    created = admin_client.post("/admin/posts/legacyurl/add/", {
        "path": "/old-shop/", "target_url": "https://shop.example/",
    })
    assert created.status_code == 302
    response = client.get("/old-shop/")
    assert (response.status_code, response["Location"]) == (301, "https://shop.example/")

    both = admin_client.post("/admin/posts/legacyurl/add/", {
        "path": "/x/", "target_url": "/y/", "category": CategoryFactory().pk,
    })
    assert both.status_code == 200
    assert "exactly one target" in both.text


def test_pages_that_exist_never_look_up_old_addresses(client, imported):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(imported.get_absolute_url()).status_code == 200
        assert client.get("/").status_code == 200

    assert not [q for q in queries if "posts_legacyurl" in q["sql"]]


def test_the_current_address_is_never_recorded(imported):
    remember_legacy_urls(imported, [imported.get_absolute_url()])

    assert not LegacyURL.objects.filter(path="/2009/11/03/first-frost").exists()


def test_unknown_addresses_stay_404(client):
    assert client.get("/no/such/place/").status_code == 404
    assert client.get("/?p=12345").status_code == 200


def test_saves_that_cannot_move_a_post_cost_no_lookup(django_assert_num_queries):
    post = PostFactory()
    post.sticky = True

    with django_assert_num_queries(1):  # the UPDATE itself
        post.save(update_fields=["sticky"])
