"""The thread as readers notice it (issue 30): whom a live reply answers, initials avatars."""

import re

import pytest

from accounts.services import update_profile
from tests.factories import ArticleFactory, UserFactory, make_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return ArticleFactory(slug="story")


def test_a_reply_shown_live_says_whom_it_answers_with_a_link_to_it(article, client):
    alice = UserFactory(username="alice")
    top = make_comment(article=article, author=alice, body="The question")
    reply = make_comment(article=article, parent=top, body="The answer")

    html = client.get(f"/articles/story/comments/live/?ids={reply.pk}").content.decode()

    assert "The answer" in html
    assert re.search(rf'replying to <a href="/articles/story/\?comment={top.pk}#c{top.pk}">alice</a>', html)


def test_comments_carry_initials_avatars_made_by_the_site(article, client):
    writer = UserFactory(username="mary_jones")
    update_profile(user=writer, display_name="Mary Jones")
    make_comment(article=article, author=writer, body="Hello")

    html = client.get("/articles/story/").content.decode()

    assert re.search(r'<span class="avatar avatar-\d" aria-hidden="true">MJ</span>', html)
    assert "gravatar" not in html and "<img" not in html.split('id="comments"')[1]
