"""Every address that renders comment text shows what one selector allows (comments/visibility.py):
a comment's text is public only once approved, whoever reads it and wherever."""

import re
from dataclasses import dataclass, field

import pytest
from django.core import mail
from django.test import Client

from comments import audit, notify, services
from comments.models import Comment, Notification
from comments.selectors import SORTS
from tests.factories import ArticleFactory, UserFactory, make_comment, moderator

# Every state in which a comment's text (or one of its texts) is not public.
HIDDEN = ["pending", "in_review", "rejected", "withheld", "deleted"]


@dataclass
class World:
    article: object
    author: object
    secrets: list[str] = field(default_factory=list)
    public: list[str] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)


def _comment(world: World, *, secret: bool, **kwargs) -> Comment:
    comment = make_comment(article=world.article, **kwargs)
    (world.secrets if secret else world.public).append(kwargs["body"])
    world.ids.append(comment.pk)
    return comment


def _withhold(comment: Comment) -> None:
    """As reader flags past the withhold threshold leave it: held for a moderator, once public."""
    services.change_status(
        comment=comment,
        to_status=Comment.Status.IN_REVIEW,
        actor_name="system",
        action=audit.COMMENT_WITHHELD,
        expect_status={Comment.Status.APPROVED},
    )


@pytest.fixture
def world(db, django_capture_on_commit_callbacks) -> World:
    """A thread with a comment in every non-public state, at the top and as a reply, each holding
    an approved reply (so permalinks and reply pages reach it), and approved comments with edits
    that are not public."""
    world = World(article=ArticleFactory(slug="story"), author=UserFactory(username="writer"))
    other = UserFactory(username="replier")
    top = _comment(world, secret=False, author=other, body="PUBLIC top comment")
    for state in HIDDEN:
        status = "approved" if state == "withheld" else state
        extra = {"featured_at": top.created_at} if state == "withheld" else {}
        for place, parent in (("top", None), ("reply", top)):
            hidden = _comment(
                world, secret=True, author=world.author, parent=parent, status=status,
                body=f"SECRET {state} {place}", **extra,
            )  # fmt: skip
            _comment(world, secret=False, author=other, parent=hidden, body=f"PUBLIC under {state} {place}")
            if state == "withheld":
                with django_capture_on_commit_callbacks(execute=True):
                    _withhold(hidden)
    for edit_status in ("pending", "in_review", "rejected"):
        edited = _comment(world, secret=False, author=world.author, body=f"PUBLIC edited {edit_status}")
        Comment.objects.filter(pk=edited.pk).update(
            edit_body=f"SECRET edit {edit_status}",
            edit_body_html=f"<p>SECRET edit {edit_status}</p>",
            edit_version=2,
            edit_status=edit_status,
        )
        world.secrets.append(f"SECRET edit {edit_status}")
    return world


def _addresses(world: World, *, signed_in: bool) -> list[str]:
    """Every address that renders comment text, for each comment of the world where it takes one."""
    slug, ids = world.article.slug, world.ids
    found = [f"/articles/{slug}/", f"/articles/{slug}/comments/live/?ids={','.join(map(str, ids))}"]
    found += [f"/articles/{slug}/?sort={sort}" for sort in sorted(SORTS)]
    found += [f"/api/v1/articles/{slug}/comments/?sort={sort}" for sort in sorted(SORTS)]
    found += [
        f"/api/v1/articles/{slug}/comments/updates/?since=0",
        "/api/v1/articles/",
        f"/api/v1/articles/{slug}/",
    ]
    for pk in ids:
        found += [f"/articles/{slug}/?comment={pk}", f"/articles/{slug}/?comment={pk}&sort=newest"]
        found += [f"/comments/{pk}/replies/", f"/api/v1/comments/{pk}/", f"/api/v1/comments/{pk}/replies/"]
    if signed_in:
        found += ["/accounts/me/", "/api/v1/me/", "/api/v1/me/comments/", "/api/v1/me/export/"]
    return found


def _leaks(client: Client, world: World, *, signed_in: bool) -> list[tuple[str, str]]:
    leaks = []
    for address in _addresses(world, signed_in=signed_in):
        for _ in range(2):  # built, then as kept (the page caches and a signed-in reader's kept page)
            response = client.get(address)
            assert response.status_code in (200, 404), (address, response.status_code)
            text = response.content.decode()
            leaks += [(address, secret) for secret in world.secrets if secret in text]
    return sorted(set(leaks))


@pytest.mark.parametrize("viewer", ["anonymous", "another reader", "moderator"])
def test_no_text_that_is_not_public_appears_on_any_address(world, viewer):
    client = Client()
    if viewer == "another reader":
        client.force_login(UserFactory(username="reader"))
    elif viewer == "moderator":
        client.force_login(moderator(username="mod"))

    leaks = _leaks(client, world, signed_in=viewer != "anonymous")

    assert leaks == []


def test_the_addresses_do_show_the_public_text(world):
    client = Client()
    shown = "".join(client.get(address).content.decode() for address in _addresses(world, signed_in=False))

    assert [text for text in world.public if text not in shown] == []


def test_a_permalink_to_a_reply_under_a_hidden_comment_keeps_its_place_under_a_placeholder(world):
    reply = Comment.objects.get(body="PUBLIC under rejected reply")

    page = Client().get(f"/articles/story/?comment={reply.pk}").content.decode()

    parent = re.search(
        rf'id="comment-{reply.parent_id}".*?</header>\s*<div class="comment-body">(.*?)</div>', page, re.S
    )
    assert parent and "[removed]" in parent.group(1)
    assert "PUBLIC under rejected reply" in page


def test_emails_to_other_readers_carry_no_text_that_is_not_public(world):
    reader = UserFactory(username="notified")
    for comment in Comment.objects.exclude(status="approved"):
        Notification.objects.create(recipient=reader, kind=Notification.Kind.REPLY, comment=comment)
    for comment in Comment.objects.filter(edit_version__isnull=False):
        Notification.objects.create(recipient=reader, kind=Notification.Kind.FEATURED, comment=comment)

    mail.outbox.clear()  # the authors' own mails (statements of reasons quote their text to them)

    notify.send_digest(recipient_id=reader.pk)

    sent = "".join(message.body + message.subject for message in mail.outbox)
    assert mail.outbox and all(message.to == [reader.email] for message in mail.outbox)
    assert [secret for secret in world.secrets if secret in sent] == []
