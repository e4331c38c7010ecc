"""Search through the one interface, on whichever database the suite runs (SQLite or PostgreSQL)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from posts.models import Post, SearchDocument
from posts.search import search
from tests.factories import CategoryFactory, PageFactory, PostFactory, TagFactory
from tests.html import main_text, unsafe_parts

pytestmark = pytest.mark.django_db


def titles(text, **filters):
    return [hit.post.title for hit in search(text, **filters)[0:50]]


def test_a_title_match_ranks_above_a_body_match():
    PostFactory(title="Notes from the shed", body="Some thoughts on parsnips and their leaves.")
    PostFactory(title="Parsnips", body="Sown in March.")
    PostFactory(title="Unrelated", body="Nothing about roots here.")

    assert titles("parsnips") == ["Parsnips", "Notes from the shed"]


def test_excerpt_and_category_names_are_searched_with_less_weight():
    garden = CategoryFactory(name="Greenhouse")
    PostFactory(title="Tomatoes", body="Staked today.", categories=[garden])
    PostFactory(title="Cucumbers", excerpt="A greenhouse crop.", body="Watered.")

    assert titles("greenhouse") == ["Cucumbers", "Tomatoes"]


def test_every_word_must_appear():
    PostFactory(title="Runner beans", body="Tall and red.")
    PostFactory(title="Broad beans", body="Short and green.")

    assert titles("beans green") == ["Broad beans"]


def test_quoted_phrases_match_words_in_order():
    PostFactory(title="One", body="The compost heap is warm.")
    PostFactory(title="Two", body="Heap the compost on the bed.")

    assert titles('"compost heap"') == ["One"]


def test_minus_excludes_a_word():
    PostFactory(title="Leeks", body="Leeks and potatoes in a soup.")
    PostFactory(title="Soup", body="Carrot soup for the winter.")

    assert titles("soup -carrot") == ["Leeks"]


def test_or_offers_alternatives():
    PostFactory(title="Apples")
    PostFactory(title="Pears")
    PostFactory(title="Plums")

    assert sorted(titles("apples OR pears")) == ["Apples", "Pears"]


def test_devanagari_words_are_found_whole():
    PostFactory(title="बगीचे की डायरी", body="आज हमने टमाटर के पौधे लगाए।")
    PostFactory(title="Garden diary", body="We planted tomatoes today.")

    assert titles("टमाटर") == ["बगीचे की डायरी"]
    assert titles('"पौधे लगाए"') == ["बगीचे की डायरी"]
    # A word that only begins another is not that word.
    assert titles("टमा") == []


def test_accented_words_are_found():
    PostFactory(title="Café au jardin", body="Une crème brûlée après le désherbage.")

    assert titles("café") == ["Café au jardin"]
    assert titles("brûlée") == ["Café au jardin"]


def test_snippets_mark_the_matched_words_and_nothing_else_is_html():
    PostFactory(title="Compost", body="Turn the heap every week. <script>alert(1)</script> "
                "A warm heap breaks down fast.", body_format="html")
    PostFactory(title="Escaped", body="Use 3 < 4 & mark <b>heap</b> &lt;i&gt; text.")

    hits = {hit.post.title: hit for hit in search("heap")[0:10]}

    assert "<mark>heap</mark>" in hits["Compost"].snippet
    assert "alert" not in hits["Compost"].snippet
    assert "<mark>heap</mark>" in hits["Escaped"].snippet
    assert "<i>" not in hits["Escaped"].snippet
    assert all(not unsafe_parts(hit.snippet) for hit in hits.values())
    assert hits["Compost"].rank > 0


def test_drafts_private_scheduled_and_protected_text_never_appear():
    PostFactory(title="Visible marrow")
    for status in ("draft", "pending", "private"):
        PostFactory(title=f"Hidden {status} marrow", status=status)
    PostFactory(title="Future marrow", status="scheduled",
                published_at=timezone.now() + datetime.timedelta(days=2))
    PostFactory(title="Locked", body="The secret marrow recipe.", password="pw")

    assert titles("marrow") == ["Visible marrow"]


def test_the_index_follows_edits_taxonomy_and_deletion():
    post = PostFactory(title="Spinach", body="Bolted in the heat.")
    tag = TagFactory(name="leafy")

    post.title = "Chard"
    post.save()
    post.tags.add(tag)
    assert titles("spinach") == []
    assert titles("chard leafy") == ["Chard"]

    tag.name = "greens"
    tag.save()
    assert titles("greens") == ["Chard"]

    tag.posts.clear()
    assert titles("greens") == []

    post.delete()
    assert titles("bolted") == []


def test_filters_by_category_with_its_children_year_and_kind():
    veg = CategoryFactory(name="Veg")
    roots = CategoryFactory(name="Roots", parent=veg)
    PostFactory(title="Carrot sowing", categories=[roots],
                published_at=timezone.make_aware(datetime.datetime(2019, 4, 1)))
    PostFactory(title="Carrot harvest",
                published_at=timezone.make_aware(datetime.datetime(2020, 9, 1)))
    PageFactory(title="Carrot varieties",
                published_at=timezone.make_aware(datetime.datetime(2018, 1, 1)))

    assert titles("carrot", category=veg) == ["Carrot sowing"]
    assert titles("carrot", year=2020) == ["Carrot harvest"]
    assert titles("carrot", kind="page") == ["Carrot varieties"]
    assert len(search("carrot")) == 3


@pytest.fixture
def max_results(monkeypatch):
    """Lists cut at three results, so that a handful of posts is already too many to list."""
    monkeypatch.setattr("posts.search.MAX_RESULTS", 3)


def test_more_matches_than_are_listed_are_counted_as_more(max_results):
    for n in range(5):
        PostFactory(title=f"Marigold {n}")
    PostFactory(title="Marigold", status="draft")

    results = search("marigold")
    pages = results[0:2] + results[2:4]

    assert len(results) == 3
    assert results.capped
    assert len({hit.post.pk for hit in pages}) == 3
    assert results[3:6] == []


def test_exactly_as_many_matches_as_are_listed_are_not_more(max_results):
    for n in range(3):
        PostFactory(title=f"Marigold {n}")
    PostFactory(title="Marigold", status="draft")

    results = search("marigold")

    assert len(results) == 3
    assert not results.capped
    assert len(search("marigold")[0:10]) == 3


def test_title_matches_are_listed_first_however_many_match(max_results):
    # Posts written first tend to be found first; the one whose title matches comes last.
    for n in range(6):
        PostFactory(title=f"Notes {n}", body="Calendula self-seeds everywhere.")
    PostFactory(title="Calendula", body="Sown in April.")

    assert titles("calendula")[0] == "Calendula"
    # A matching title does not let in a post that the rest of the query excludes.
    assert "Calendula" not in titles("calendula -april")


def test_the_search_page_says_when_more_matched_than_are_listed(client, max_results):
    for n in range(5):
        PostFactory(title=f"Marigold {n}")

    text = main_text(client.get("/search/", {"q": "marigold"}))
    exact = main_text(client.get("/search/", {"q": "marigold 4"}))

    assert "More than 3 results, of which 3 are listed" in text
    assert text.count('class="entry search-result"') == 3
    assert "1 result" in exact and "More than" not in exact


@pytest.mark.parametrize(("text", "found"), [
    ("", 0), ("   ", 0), ("-beans", 0), ('""', 0), ("OR", 0), ('"-', 0), ("*", 0),
    ("NOT AND", 0), ("beans NEAR(", 0), ("title:beans", 0), ('"beans"" OR', 0),
    ("beans*:(", 1), ('beans "', 1), ("(beans)", 1), ("beans OR", 0), ("-carrot beans", 1),
    ("beans OR OR peas", 1),
])
def test_stray_syntax_never_breaks_a_search(text, found):
    PostFactory(title="Beans")

    assert len(search(text)) == found
    assert len(search(text)[0:10]) == found


def test_reindex_command_indexes_posts_written_without_signals():
    Post.objects.bulk_create([Post(title="Quince jelly", slug="quince", status="published")])
    assert titles("quince") == []

    call_command("reindex_search", stdout=io.StringIO())

    assert titles("quince") == ["Quince jelly"]
    assert SearchDocument.objects.count() == 1
