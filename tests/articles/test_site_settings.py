"""The site settings row every page and comment POST reads (SiteSettings.load)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import SiteSettings

pytestmark = pytest.mark.django_db


def test_settings_saved_are_read_at_once_and_unchanged_ones_ask_nothing(
    redis_client, django_capture_on_commit_callbacks
):
    assert SiteSettings.load().premoderate_new_commenters is False
    with CaptureQueriesContext(connection) as queries:
        assert SiteSettings.load().premoderate_new_commenters is False
    assert not queries.captured_queries

    row = SiteSettings.objects.get(pk=1)
    row.premoderate_new_commenters = True
    with django_capture_on_commit_callbacks(execute=True):
        row.save()

    assert SiteSettings.load().premoderate_new_commenters is True
