"""The policy's values: COMMENTS_* settings until an admin saves the Discussion settings record."""

import pytest
from django.db import IntegrityError

from comments.models import DiscussionSettings
from comments.moderation import MatchList, Policy

pytestmark = pytest.mark.django_db


def test_settings_apply_while_there_is_no_record(settings):
    settings.COMMENTS_MAX_LINKS = 9
    settings.COMMENTS_BLOCKLIST = {"words": ["casino"], "ips": ["192.0.2.1"]}
    current = Policy.current()
    assert current.max_links == 9
    assert current.blocklist == MatchList(words=("casino",), ips=("192.0.2.1",))


def test_a_saved_record_wins_and_is_read_at_once(settings):
    record = DiscussionSettings.from_settings()
    record.max_depth, record.hold_all, record.hold_words = 3, False, "compost\n\n  tea  \n"
    assert Policy.current().max_depth == 5  # caches "no record"
    record.save()
    settings.COMMENTS_MAX_DEPTH = 8
    current = Policy.current()
    assert (current.max_depth, current.hold_all) == (3, False)
    assert current.holdlist.words == ("compost", "tea")
    record.delete()
    assert Policy.current().max_depth == 8


def test_technical_limits_stay_with_the_settings(settings):
    DiscussionSettings.from_settings().save()
    settings.COMMENTS_RATE_LIMIT = 11
    assert Policy.current().rate_limit == 11


def test_there_is_only_ever_one_record():
    DiscussionSettings.from_settings().save()
    second = DiscussionSettings.from_settings()
    second.id = 2
    with pytest.raises(IntegrityError):
        second.save(force_insert=True)
