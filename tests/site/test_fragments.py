"""Fragments of pages kept per content generation (archive_site.fragments, {% fragment %},
teasers, the comment section): with the page cache off, every change still shows at once."""

import pytest
from django.template import Context, Template, TemplateSyntaxError

from archive_site import fragments
from tests.factories import PostFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uncached_pages(settings):
    settings.PAGE_CACHE_SECONDS = 0


def test_a_renamed_tag_shows_at_once_on_the_post_page(client):
    tag = TagFactory(name="Brassicas")
    post = PostFactory(tags=[tag])
    assert "Brassicas" in client.get(post.get_absolute_url()).text

    tag.name = "Cabbages"
    tag.save()

    page = client.get(post.get_absolute_url()).text
    assert "Cabbages" in page and "Brassicas" not in page


def test_an_edited_title_shows_at_once_in_the_home_pages_teaser(client):
    post = PostFactory(title="Sowing leeks")
    assert "Sowing leeks" in client.get("/").text

    post.title = "Transplanting leeks"
    post.save()

    assert "Transplanting leeks" in client.get("/").text


def test_a_fragment_is_rendered_once_until_content_changes():
    template = Template("{% load fragment_cache %}{% fragment 'count' %}{{ counter.next }}{% endfragment %}")

    class Counter:
        calls = 0

        def next(self):
            self.calls += 1
            return self.calls

    counter = Counter()
    first = template.render(Context({"counter": counter}))
    fragments.process_copies().clear()  # as another process would: from the shared cache
    second = template.render(Context({"counter": counter}))
    PostFactory()
    third = template.render(Context({"counter": counter}))

    assert (first, second, third) == ("1", "1", "2")


def test_a_new_release_renders_its_own_fragments(settings):
    template = Template("{% load fragment_cache %}{% fragment 'release' %}{{ release }}{% endfragment %}")
    assert template.render(Context({"release": "old template"})) == "old template"

    settings.RELEASE = "the-next-one"

    assert template.render(Context({"release": "new template"})) == "new template"


def test_a_fragment_must_name_what_it_depends_on():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load fragment_cache %}{% fragment %}x{% endfragment %}")
