import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import PostFactory


@pytest.fixture
def featured_post():
    """A published post with a real featured image, saved under the test's MEDIA_ROOT."""
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), "green").save(buffer, "PNG")
    post = PostFactory()
    post.featured_image = SimpleUploadedFile("beans.png", buffer.getvalue(), "image/png")
    post.save()
    return post
