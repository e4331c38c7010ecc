"""
Hostile input for both importers, through the services that write: whatever the bytes, the
only failure is the importer's own clear error, and a failed file leaves no trace.
"""

import io
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from archive import seed_import
from archive.parsers.seed import CaptureError
from archive.parsers.wxr import WxrError
from archive.report import ImportReport
from archive.wxr_import import import_wxr
from comments.models import Comment
from posts.models import Author, Blog, Category, Media, Post, Tag

pytestmark = pytest.mark.django_db

SEEDS = sorted((Path(settings.BASE_DIR) / "seeds").glob("*.txt"))
WXR = (Path(__file__).parent / "wxr" / "small-blog.xml").read_bytes()
fast = hypothesis_settings(max_examples=40, deadline=None, derandomize=True,
                           suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                  HealthCheck.too_slow])


def database_state():
    return tuple(model.objects.count() for model in (Post, Comment, Blog, Author, Category,
                                                     Tag, Media))


@st.composite
def mutated(draw, original: bytes):
    """The original bytes with a few cuts, insertions, duplications and flipped bytes."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        action = draw(st.sampled_from(["cut", "insert", "duplicate", "flip"]))
        if action == "cut":
            del data[at:at + draw(st.integers(1, 200))]
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=40))
        elif action == "duplicate":
            data[at:at] = data[at:at + draw(st.integers(1, 400))]
        elif data:
            data[at] = draw(st.integers(0, 255))
    return bytes(data)


@fast
@given(seed=st.sampled_from(SEEDS), data=st.data())
def test_mutated_captures_import_whole_or_not_at_all(tmp_path_factory, seed, data):
    capture = tmp_path_factory.mktemp("capture") / seed.name
    capture.write_bytes(data.draw(mutated(seed.read_bytes())))
    before = database_state()
    try:
        seed_import.import_capture(capture, report=ImportReport())
    except CaptureError as error:
        assert str(error).startswith(seed.name)
        assert database_state() == before


@fast
@given(data=st.data())
def test_mutated_wordpress_exports_import_whole_or_not_at_all(data):
    before = database_state()
    try:
        import_wxr(io.BytesIO(data.draw(mutated(WXR))), report=ImportReport(), name="blog.xml")
    except WxrError as error:
        assert str(error).startswith("blog.xml:")
        assert database_state() == before


@fast
@given(text=st.text(max_size=2000))
def test_random_text_is_never_a_crash_for_the_wxr_importer(text):
    before = database_state()
    with pytest.raises(WxrError):
        import_wxr(io.BytesIO(text.encode()), report=ImportReport(), name="junk.xml")
    assert database_state() == before
