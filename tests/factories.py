from contextlib import contextmanager
from datetime import datetime
from unittest import mock

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import Article, ArticleBlock
from moderation.checks import Rules

PASSWORD = "correct horse battery staple"  # every UserFactory user's


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set([Group.objects.get_or_create(name=name)[0] for name in extracted])
        if create:
            self.save()


def established_reader(**kwargs):
    """A reader whose flags count in full: signed up days ago, with an approved comment."""
    user = UserFactory(date_joined=timezone.now() - timezone.timedelta(days=30), **kwargs)
    make_comment(article=ArticleFactory(), author=user, body="An earlier approved comment.")
    return user


def moderator(**kwargs):
    return UserFactory(groups=["Moderators"], **kwargs)


def desk_editor(**kwargs):
    user = UserFactory(groups=["Corrections desk"], is_staff=True, **kwargs)
    _give_desk_its_permissions()
    return user


def _give_desk_its_permissions() -> None:
    """As migration articles 0004 does; a transactional test's flush drops it, so do it again."""
    from importlib import import_module

    from django.contrib.auth.models import Permission

    codenames = [
        *import_module("articles.migrations.0004_fill_corrections_desk_permissions").PERMISSIONS,
        *import_module("articles.migrations.0008_fill_desk_revision_permissions").PERMISSIONS,
    ]
    desk = Group.objects.get(name="Corrections desk")
    desk.permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=["articles", "corrections"], codename__in=codenames
        )
    )


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"Headline number {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    standfirst = "A short standfirst."
    published_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(hours=1))
    updated_at = factory.SelfAttribute("published_at")

    @factory.post_generation
    def paragraphs(self, create, extracted, **kwargs):
        if create:
            for position, text in enumerate(extracted or ["The first paragraph."], start=1):
                ArticleBlock.objects.create(article=self, position=position, text=text)


def article_change_form(article, *, texts: dict[int, str] | None = None, **changes) -> dict:
    """What the article's admin change form posts as it stands, with `changes` to its fields and
    `texts` (by position) to its blocks."""
    blocks = list(article.blocks.order_by("position"))
    data = {
        "headline": article.headline,
        "slug": article.slug,
        "section": article.section,
        "standfirst": article.standfirst,
        "published_at_0": article.published_at.strftime("%Y-%m-%d"),
        "published_at_1": article.published_at.strftime("%H:%M:%S"),
        "updated_at_0": article.updated_at.strftime("%Y-%m-%d"),
        "updated_at_1": article.updated_at.strftime("%H:%M:%S"),
        "comments_open": "on" if article.comments_open else "",
        "blocks-TOTAL_FORMS": str(len(blocks)),
        "blocks-INITIAL_FORMS": str(len(blocks)),
        "blocks-MIN_NUM_FORMS": "0",
        "blocks-MAX_NUM_FORMS": "1000",
    }
    for n, block in enumerate(blocks):
        data |= {
            f"blocks-{n}-id": block.pk,
            f"blocks-{n}-article": article.pk,
            f"blocks-{n}-position": block.position,
            f"blocks-{n}-kind": block.kind,
            f"blocks-{n}-text": (texts or {}).get(block.position, block.text),
        }
    return data | changes


def make_comment(
    *, article, author=None, body="A thoughtful comment.", status="approved", parent=None, **kwargs
):
    """A comment in the given status, written straight to the table (no checks queued)."""
    from comments.models import Comment
    from comments.rendering import render_body

    depth = 0 if parent is None else parent.depth + 1
    comment = Comment.objects.create(
        article=article,
        author=author or UserFactory(),
        body=body,
        body_html=render_body(body),
        status=status,
        parent=parent,
        depth=depth,
        **kwargs,
    )
    if status == "approved":
        article.comment_count = Comment.objects.filter(article=article, status="approved").count()
        article.save(update_fields=["comment_count"])
    return comment


def post_checked(article, author, body: str, capture):
    """Post a comment through the service and run its checks, which it queues on commit
    (`capture` is django_capture_on_commit_callbacks); returns the comment reloaded."""
    from comments.services import post_comment

    with capture(execute=True):
        comment = post_comment(article=article, author=author, body=body)
    comment.refresh_from_db()
    return comment


def make_thread(article, count: int) -> None:
    """`count` approved top-level comments by one writer, every tenth with a reply."""
    writer = UserFactory()
    for n in range(count):
        top = make_comment(article=article, author=writer, body=f"c{n}")
        if n % 10 == 0:
            make_comment(article=article, author=writer, parent=top, body=f"r{n}")


def decide_item(item, *, moderator, action: str, **choices):
    """A moderator's decision on the item's text as it stands (the version the queue shows)."""
    from moderation import services

    return services.decide(
        item_id=item.pk, version=item.comment.review_version, moderator=moderator, action=action, **choices
    )


class CorrectionReportFactory(factory.django.DjangoModelFactory):
    """A report as filed, in its own group (use services.create_correction_report to group it)."""

    class Meta:
        model = "corrections.CorrectionReport"
        skip_postgeneration_save = True

    article = factory.SubFactory(ArticleFactory)
    message = "The figure in this sentence is wrong."

    @factory.post_generation
    def grouped(self, create, extracted, **kwargs):
        if create and self.group_id is None:
            self.group = self
            self.save(update_fields=["group"])


class ReviewItemFactory(factory.django.DjangoModelFactory):
    """An open review item on a comment the checks held (`in_review`), as the pipeline leaves one.

    The comment is made from `article`, `body`, `author` and `comment_fields`; `checked=True`
    adds the checks' audit record saying why it was held; `age_minutes` backdates the item.
    """

    class Meta:
        model = "moderation.ReviewItem"
        skip_postgeneration_save = True

    class Params:
        article = factory.SubFactory(ArticleFactory)
        body = "Is this allowed?"
        author = None
        comment_fields = factory.Dict({})

    comment = factory.LazyAttribute(
        lambda o: make_comment(
            article=o.article, body=o.body, author=o.author, status="in_review", **o.comment_fields
        )
    )
    queue = "premod"
    reason = "links"

    @factory.post_generation
    def checked(self, create, extracted, **kwargs):
        if create and extracted:
            from comments.models import AuditRecord

            AuditRecord.objects.create(
                comment=self.comment,
                actor_name=f"system:{self.reason}@1",
                action="moderation.comment.held",
                from_status="pending",
                to_status="in_review",
                reasons=[
                    {
                        "name": self.reason,
                        "verdict": "review",
                        "score": 0.9,
                        "explanation": f"{self.reason} fired",
                    }
                ],
                comment_version=self.comment.version,
            )

    @factory.post_generation
    def age_minutes(self, create, extracted, **kwargs):
        if create and extracted:
            type(self).objects.filter(pk=self.pk).update(
                created_at=timezone.now() - timezone.timedelta(minutes=extracted)
            )
            self.refresh_from_db()


class RulesFactory(factory.Factory):
    """The checks' rules at the thresholds the check tests were written for."""

    class Meta:
        model = Rules

    harm_review_other = 0.85
    harm_reject = 0.97
    max_links = 2
    links_min_approved = 3
    duplicate_window_hours = 24
    wave_accounts = 3
    wave_window_minutes = 10


@contextmanager
def clock(when: datetime):
    """auto_now_add fields take this time (audit records may not be updated afterwards)."""
    with mock.patch("django.utils.timezone.now", return_value=when):
        yield
