"""A signed-in reader's article page from the shared page and their state kept in Redis
(readers/pages.py, readers/state.py, delivery/reader_store.py): the same HTML the view builds for them, and every
change to what the reader sees reaches their next request."""

import re
import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import services as account_services
from comments import likes
from comments import services as comment_services
from comments.models import Comment
from moderation.models import Sanction
from moderation.services import sanctions
from readers import state as reader_state
from tests.conftest import spare_port
from tests.factories import PASSWORD, ArticleFactory, UserFactory, desk_editor, make_comment, moderator
from tests.test_signed_in_page import _reader

pytestmark = pytest.mark.django_db
PAGE = "/articles/story/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
COUNTDOWN = re.compile(r'class="edit-left">\([0-9:]+ left\)')


@pytest.fixture(autouse=True)
def _redis(redis_client):
    """Real Redis: what this file tests is kept there."""


@pytest.fixture
def article():
    story = ArticleFactory(slug="story", headline="The headline", paragraphs=["The words."])
    for n, writer in enumerate(UserFactory.create_batch(4) * 2):
        make_comment(article=story, author=writer, body=f"Comment number {n}")
    return story


def _same(html: str) -> str:
    """The page without what differs between any two requests: tokens are masked afresh, and the
    Edit link's countdown ticks between two renders ("4:59 left", then "4:58 left")."""
    html = TOKEN.sub('name="csrfmiddlewaretoken" value=""', html)
    return COUNTDOWN.sub('class="edit-left">(left)', html)


def _built_by_the_view(client, path=PAGE):
    """The page as articles' view builds it, with readers' view not wired to the address."""
    with (
        override_settings(ROOT_URLCONF="tests.urls_without_readers"),
        CaptureQueriesContext(connection) as queries,
    ):
        page = client.get(path)
    assert queries  # from the database: not the shared page
    return page


def _suspended() -> object:
    user = UserFactory()
    sanctions.apply_sanction(
        user=user, moderator=moderator(), kind=Sanction.Kind.SUSPEND, reason="Name-calling.",
        until=timezone.now() + timedelta(days=2),
    )  # fmt: skip
    return user


def _with_pending_likes_and_ignores(article) -> object:
    user = UserFactory()
    first, second = Comment.objects.filter(article=article).order_by("pk")[:2]
    likes.like_comment(comment=first, user=user)
    make_comment(article=article, author=user, body="My reply waits", status="pending", parent=second)
    make_comment(article=article, author=user, body="My comment waits", status="pending")
    make_comment(article=article, author=user, body="My approved words")
    account_services.ignore(user=user, ignored_id=second.author_id)
    return user


@pytest.mark.parametrize(
    "who",
    ["reader", "moderator", "staff", "suspended", "pending, likes and ignores"],
)
@pytest.mark.parametrize("path", [PAGE, PAGE + "?sort=newest"])
def test_page_is_the_one_the_view_builds(article, django_assert_num_queries, who, path):
    user = {
        "reader": UserFactory,
        "moderator": moderator,
        "staff": desk_editor,
        "suspended": _suspended,
        "pending, likes and ignores": lambda: _with_pending_likes_and_ignores(article),
    }[who]()
    client = _reader(user)
    client.get(path)

    with django_assert_num_queries(0):  # served from the shared page and the kept state
        served = client.get(path)

    built = _built_by_the_view(client, path)
    assert served["Cache-Control"] == "private, no-store"
    assert sorted(served.headers.items()) == sorted(built.headers.items())
    assert served.cookies.keys() == built.cookies.keys() == {"csrftoken"}
    assert _same(served.content.decode()) == _same(built.content.decode())


def test_warm_page_takes_no_queries(article, django_assert_num_queries):
    client = _reader(_with_pending_likes_and_ignores(article))
    client.get(PAGE)

    with django_assert_num_queries(0):
        page = client.get(PAGE).content.decode()

    assert "My comment waits" in page


def test_kept_reader_holds_no_password_hash_and_cannot_overwrite_it(article, redis_client):
    user = UserFactory()
    client = _reader(user)
    client.get(PAGE)
    stored = b"".join(redis_client.get(key) or b"" for key in redis_client.keys("*reader:*"))

    assert stored
    assert user.password.encode() not in stored
    kept = reader_state.build_state(user)["user"]
    kept.first_name = "Renamed"
    kept.save()
    user.refresh_from_db()
    assert user.first_name == "Renamed"
    assert user.check_password(PASSWORD)


def test_like_is_pressed_on_the_next_request(article, django_capture_on_commit_callbacks):
    user = UserFactory()
    client = _reader(user)
    assert 'aria-pressed="true"' not in client.get(PAGE).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        likes.like_comment(comment=Comment.objects.filter(article=article).first(), user=user)

    assert client.get(PAGE).content.decode().count('aria-pressed="true"') == 1


def test_like_form_without_javascript_works_with_the_pages_token(article):
    user = UserFactory()
    client = _reader(user)
    page = client.get(PAGE).content.decode()
    action, token = re.search(
        r'action="(/comments/\d+/like/)"[^>]*>\s*<input [^>]*value="([^"]+)"', page
    ).groups()

    response = client.post(action, {"csrfmiddlewaretoken": token, "action": "like"})

    assert response.status_code == 302
    assert client.get(PAGE).content.decode().count('aria-pressed="true"') == 1


def test_own_pending_comment_appears_on_the_next_request(article, django_capture_on_commit_callbacks):
    user = UserFactory()
    client = _reader(user)
    client.get(PAGE)

    with django_capture_on_commit_callbacks(execute=True):  # posted, not yet checked
        make_comment(article=article, author=user, body="Just sent", status="pending")

    page = client.get(PAGE).content.decode()
    assert "Just sent" in page and "awaiting moderation" in page


def test_own_comment_no_longer_waits_once_approved(article, django_capture_on_commit_callbacks):
    user = UserFactory()
    comment = make_comment(article=article, author=user, body="Waiting words", status="pending")
    client = _reader(user)
    assert "awaiting moderation" in client.get(PAGE).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        comment_services.change_status(
            comment_id=comment.pk, to_status=Comment.Status.APPROVED, actor_name="system",
            action="moderation.comment.approved",
        )  # fmt: skip

    page = client.get(PAGE).content.decode()
    assert "Waiting words" in page and "awaiting moderation" not in page


def test_reader_made_moderator_gets_the_toolbar(article, django_capture_on_commit_callbacks):
    user = UserFactory()
    client = _reader(user)
    assert "mod-toolbar" not in client.get(PAGE).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        Group.objects.get_or_create(name="Moderators")[0].user_set.add(user)

    assert client.get(PAGE).content.decode().count('class="mod-toolbar"') == 8


def test_moderator_removed_from_the_group_loses_the_toolbar(article, django_capture_on_commit_callbacks):
    user = moderator()
    client = _reader(user)
    assert "mod-toolbar" in client.get(PAGE).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        user.groups.clear()

    assert "mod-toolbar" not in client.get(PAGE).content.decode()


def test_reader_made_staff_gets_the_admin_link(article, django_capture_on_commit_callbacks):
    user = UserFactory()
    client = _reader(user)
    assert ">Admin</a>" not in client.get(PAGE).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        user.is_staff = True
        user.save()

    assert ">Admin</a>" in client.get(PAGE).content.decode()


def test_sanction_given_and_lifted_reach_the_next_request(article, django_capture_on_commit_callbacks):
    user = UserFactory()
    client = _reader(user)
    assert 'class="comment-form"' in client.get(PAGE).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        sanction = sanctions.apply_sanction(
            user=user, moderator=moderator(), kind=Sanction.Kind.BAN, reason="Threats & worse."
        )
    page = client.get(PAGE).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        sanctions.lift_sanction(sanction=sanction, moderator=moderator())

    assert 'class="comment-form"' not in page
    assert "Your account may no longer post comments. Reason: Threats &amp; worse." in page
    assert 'class="comment-form"' in client.get(PAGE).content.decode()


def test_suspension_ends_by_the_clock(article):
    user = UserFactory()
    sanctions.apply_sanction(
        user=user, moderator=moderator(), kind=Sanction.Kind.SUSPEND, reason="Cool off.",
        until=timezone.now() + timedelta(seconds=1),
    )  # fmt: skip
    client = _reader(user)
    assert "suspended" in client.get(PAGE).content.decode()

    time.sleep(1.1)

    assert 'class="comment-form"' in client.get(PAGE).content.decode()


def test_ignore_and_unignore_reach_the_next_request(article):
    user = UserFactory()
    author = Comment.objects.filter(article=article).first().author
    client = _reader(user)
    client.get(PAGE)

    account_services.ignore(user=user, ignored_id=author.pk)
    ignoring = client.get(PAGE).content.decode()
    account_services.unignore(user=user, ignored_id=author.pk)

    assert ignoring.count("whom you ignore") == 2
    assert "whom you ignore" not in client.get(PAGE).content.decode()


def test_changed_password_ends_the_session_as_before(article):
    user = UserFactory()
    client = _reader(user)
    client.get(PAGE)

    user.set_password("another-password-entirely")
    user.save()

    assert "Signed in as" not in client.get(PAGE).content.decode()


def test_redis_outage_gives_the_same_page_from_the_database(article, settings):
    client = _reader(_with_pending_likes_and_ignores(article))
    with_redis = client.get(PAGE).content.decode()
    dead = f"redis://127.0.0.1:{spare_port()}/0"
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "LOCATION": dead},
    }

    with CaptureQueriesContext(connection) as queries:
        without = client.get(PAGE)

    assert len(queries) >= 6  # the session, the user, their state and the thread, from the database
    assert without.status_code == 200
    assert _same(without.content.decode()) == _same(with_redis)


def test_page_token_is_the_readers_secret_masked(article):
    from django.middleware.csrf import _unmask_cipher_token

    client = _reader(UserFactory())
    client.get(PAGE)  # the CSRF cookie is set

    page = client.get(PAGE).content.decode()

    secret = client.cookies["csrftoken"].value
    assert {_unmask_cipher_token(token) for token in TOKEN.findall(page)} == {secret}
