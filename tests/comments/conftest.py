import dataclasses

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from comments.moderation import Policy
from tests.factories import PostFactory, UserFactory


@pytest.fixture(autouse=True)
def _human_speed(settings):
    # Test clients send a form the instant they get it; the "too fast" rule has its own tests.
    settings.COMMENTS_MIN_SECONDS = 0


@pytest.fixture
def post(db):
    return PostFactory()


def policy(**changes):
    """The policy in force, with some values changed."""
    return dataclasses.replace(Policy.current(), **changes)


def form_data(post, **fields):
    """What a reader's browser sends from the "Leave a Reply" form."""
    data = {"author_name": "Ann Gardener", "author_email": "ann@example.org",
            "author_url": "", "body": "The beans came up at last.", "parent": "",
            "homepage": "", "token": Policy.current().issue_token(post)}
    data.update(fields)
    return data


@pytest.fixture
def moderator(db):
    user = UserFactory(username="moderator", email="moderator@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderator"))
    return user


@pytest.fixture
def moderator_client(moderator):
    client = Client()
    client.force_login(moderator)
    return client
