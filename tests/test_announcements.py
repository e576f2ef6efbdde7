"""Every write a reader could see changes the answer they get: each way the services (and admin,
through save() and delete()) write a cached model announces it (delivery/changes.py), and the
versions the page, the API or the reader's kept state is built from move.

Each write runs under a guard that records the SQL writes to the cached tables
(connection.execute_wrapper) and the announcements made: a table written with no announcement
that retires what readers were shown of it fails the test, whatever the versions did.
"""

import re
from contextlib import contextmanager

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts import services as accounts
from accounts.models import IgnoredCommenter, Profile, Standing
from articles.models import Article, ArticleBlock, SiteSettings
from articles.seeds import load_seeds
from comments import featuring, likes, mine, services
from comments.models import Comment, CommentLike
from corrections import services as corrections
from corrections.models import CorrectionNotice
from delivery import changes, pagecache, reader_store
from embed import services as embed
from embed.models import EmbedOrigin
from moderation.models import Sanction
from moderation.services.sanctions import apply_sanction, lift_sanction
from tests.articles.test_seeds import SEEDS
from tests.embed.conftest import NEWSROOM, story_url
from tests.factories import (
    ArticleFactory,
    CorrectionReportFactory,
    ReviewItemFactory,
    UserFactory,
    decide_item,
    make_comment,
    moderator,
)

pytestmark = pytest.mark.django_db

# Which announcements retire what readers were shown of a table (the prefixes of their versions).
RETIRED_BY = {
    Comment: ("thread-version:", "reader-version:"),
    CommentLike: ("thread-version:", "reader-version:"),
    Article: ("article-version:", "thread-version:"),
    ArticleBlock: ("article-version:",),
    CorrectionNotice: ("article-version:",),
    SiteSettings: ("site-version",),
    EmbedOrigin: ("embed-origins-version",),
    Sanction: ("reader-version:",),
    IgnoredCommenter: ("reader-version:",),
    Standing: ("reader-version:",),
    Profile: ("reader-account:",),
}
CACHED = {model._meta.db_table: prefixes for model, prefixes in RETIRED_BY.items()}
WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


class Unannounced(AssertionError):
    pass


@contextmanager
def guarded():
    """Fail when the block writes a cached table and announces nothing that retires it."""
    written, announced = set(), []

    def record(execute, sql, params, many, context):
        if (match := WRITE.match(sql)) and match[1] in CACHED:
            written.add(match[1])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record), changes.listening(announced.extend):
        yield
    keys = [key for change in announced for key in change.versions]
    missing = {table for table in written if not any(key.startswith(CACHED[table]) for key in keys)}
    if missing:
        raise Unannounced(f"written without an announcement: {sorted(missing)}")


@pytest.fixture
def changed(client, django_capture_on_commit_callbacks):
    """changed(page=..., reader=..., account=...): run the block's writes (guarded, on-commit work
    done) and assert the anonymous page's ETag and the reader's versions moved."""

    def etag(path: str) -> str:
        answer = client.get(path)
        assert answer.status_code == 200, path
        return answer["ETag"]

    @contextmanager
    def check(*, pages=(), readers=(), accounts=()):
        keys = [reader_store.version_key(pk) for pk in readers]
        keys += [reader_store.account_key(pk) for pk in accounts]
        SiteSettings.load()  # made with its defaults by the first page a site serves
        before = {path: etag(path) for path in pages}, pagecache.versions(keys)
        with guarded(), django_capture_on_commit_callbacks(execute=True):
            yield
        after = {path: etag(path) for path in pages}, pagecache.versions(keys)
        for path in pages:
            assert after[0][path] != before[0][path], f"{path} is answered as before"
        for key, old, new in zip(keys, before[1], after[1], strict=True):
            assert new > old, f"{key} did not move"

    return check


def _page(article: Article) -> str:
    return article.get_absolute_url()


def _api(article: Article) -> str:
    return reverse("comments-api:thread", kwargs={"slug": article.slug})


def test_the_guard_fails_on_a_write_that_announces_nothing():
    comment = make_comment(article=ArticleFactory())

    with pytest.raises(Unannounced, match="comments_comment"), guarded():
        Comment.objects.filter(pk=comment.pk).update(body_html="<p>Changed behind the readers' backs</p>")


def test_posting_a_comment_changes_its_authors_state(changed):
    article, author = ArticleFactory(), UserFactory()

    with changed(readers=[author.pk]):
        services.post_comment(article=article, author=author, body="Held until checked.")


@pytest.mark.parametrize("to_status", ["approved", "rejected"])
def test_a_decision_changes_the_page_and_the_api(changed, to_status):
    article = ArticleFactory()
    comment = make_comment(article=article, status="pending")

    with changed(pages=[_page(article), _api(article)], readers=[comment.author_id]):
        services.change_status(comment=comment, to_status=to_status, actor_name="system", action="test")


def test_a_moderators_decision_changes_the_page(changed):
    item = ReviewItemFactory()
    article = item.comment.article

    with changed(pages=[_page(article), _api(article)]):
        decide_item(item, moderator=moderator(), action="approve")


def test_deleting_and_editing_change_the_page(changed):
    article = ArticleFactory()
    author = UserFactory()
    edited, deleted = (make_comment(article=article, author=author) for _ in range(2))

    with changed(pages=[_page(article)], readers=[author.pk]):
        services.edit_comment(comment=edited, user=author, body="Said better.")
    with changed(pages=[_page(article)], readers=[author.pk]):
        services.delete_comment(comment=deleted, user=author)


def test_a_rejection_reason_changes_its_authors_state(changed):
    comment = make_comment(article=ArticleFactory(), status="rejected")

    with changed(readers=[comment.author_id]):
        services.set_rejection_reason(comment_id=comment.pk, reason="it names a private person")


def test_featuring_and_unfeaturing_change_the_page(changed):
    article = ArticleFactory()
    comment, editor = make_comment(article=article), moderator()

    with changed(pages=[_page(article), _api(article)]):
        featuring.feature(comment_id=comment.pk, by=editor)
    with changed(pages=[_page(article), _api(article)]):
        featuring.unfeature(comment_id=comment.pk, by=editor)


def test_likes_change_the_page_and_the_likers_state(changed):
    article = ArticleFactory()
    comment, reader = make_comment(article=article), UserFactory()

    with changed(pages=[_page(article)], readers=[reader.pk]):
        likes.like_comment(comment=comment, user=reader)
    with changed(pages=[_page(article)], readers=[reader.pk]):
        likes.unlike_comment(comment=comment, user=reader)


def test_a_deleted_account_changes_the_pages_of_its_comments(changed):
    article = ArticleFactory()
    comment = make_comment(article=article)

    with changed(pages=[_page(article)]):
        mine.anonymize_author(user=comment.author, anonymous_name="deleted-1")


def test_ignoring_changes_the_readers_state(changed):
    reader, other = UserFactory(), UserFactory()

    with changed(readers=[reader.pk]):
        accounts.ignore(user=reader, ignored_id=other.pk)
    with changed(readers=[reader.pk]):
        accounts.unignore(user=reader, ignored_id=other.pk)


def test_sanctions_change_the_readers_state(changed):
    reader, by = UserFactory(), moderator()

    with changed(readers=[reader.pk]):
        sanction = apply_sanction(user=reader, moderator=by, kind="suspend", reason="Spam", until=_later())
    with changed(readers=[reader.pk]):
        lift_sanction(sanction=sanction, moderator=by)


def test_a_profile_and_groups_change_the_readers_state(changed):
    reader = UserFactory()

    with changed(readers=[reader.pk], accounts=[reader.pk]):
        accounts.update_profile(user=reader, display_name="A new name")
    with changed(readers=[reader.pk]):
        reader.groups.add(Group.objects.get_or_create(name="Moderators")[0])


def test_a_new_display_name_changes_the_pages_that_show_the_readers_comments(client, changed):
    article, other = ArticleFactory(), ArticleFactory()
    comment = make_comment(article=article)

    with changed(pages=[_page(article)]):
        accounts.update_profile(user=comment.author, display_name="Quite another name")
    assert "Quite another name" in client.get(_page(article)).content.decode()
    etag = client.get(_page(other))["ETag"]
    accounts.update_profile(user=comment.author, display_name="Quite another name")  # the same
    assert client.get(_page(other))["ETag"] == etag  # a page without their comments stays


def test_saving_an_article_changes_its_page_and_the_pages_teasing_it(changed):
    article, teasing = ArticleFactory(), ArticleFactory()
    ArticleBlock.objects.create(article=teasing, position=9, kind="related").teasers.add(article)

    article.headline = "A better headline"
    with changed(pages=[_page(article), _page(teasing), _api(article)]):
        article.save()


def test_renaming_an_article_retires_the_page_at_its_old_address(client, changed):
    article = ArticleFactory()
    old = _page(article)
    assert client.get(old).status_code == 200  # kept for anonymous readers

    article.slug = "a-new-address"
    with changed():
        article.save()

    assert client.get(old).status_code == 404


def test_an_edited_seed_changes_the_page_and_the_pages_teasing_it(changed, tmp_path):
    for path in SEEDS.glob("*.toml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    load_seeds(tmp_path)
    seed = tmp_path / "ukraines-precipice.toml"
    seed.write_text(seed.read_text().replace('headline = "Ukraine\'s Precipice"', 'headline = "New title"'))
    edited, teasing = (
        Article.objects.get(slug="ukraines-precipice"),
        Article.objects.exclude(slug="ukraines-precipice").get(),
    )

    with changed(pages=[_page(edited), _page(teasing)]):
        load_seeds(tmp_path)


def test_an_articles_blocks_change_its_page(changed):
    article = ArticleFactory()

    with changed(pages=[_page(article)]):
        block = ArticleBlock.objects.create(article=article, position=2, text="A second paragraph.")
    with changed(pages=[_page(article)]):
        block.delete()


def test_corrections_change_the_page(changed):
    report = CorrectionReportFactory()
    desk = UserFactory(is_staff=True)

    with changed(pages=[_page(report.article)]):
        notice = corrections.publish_correction(report=report, text="We gave the wrong year.", user=desk)
    with changed(pages=[_page(report.article)]):
        corrections.edit_notice(notice=notice, text="We gave the wrong year, 1999.", user=desk)


def test_site_settings_change_every_page(changed):
    article = ArticleFactory()
    site = SiteSettings.load()

    site.comments_close_after_days = 30
    with changed(pages=[_page(article)]):
        site.save()


def test_embed_origins_change_the_embed_pages(changed, settings):
    settings.EMBED_ORIGINS = [NEWSROOM]
    story = embed.create_story(url=story_url("/a/"), title="On the newsroom's site")
    page = reverse("embed:thread", kwargs={"slug": story.slug})

    with changed(pages=[page]):
        origin = EmbedOrigin.objects.create(origin="https://other.example.net")
    with changed(pages=[page]):
        origin.delete()


def _later():
    return timezone.now() + timezone.timedelta(days=1)
