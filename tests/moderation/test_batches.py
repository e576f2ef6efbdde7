"""A worker that takes one comment's message decides the comments waiting with it, in one pass."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.models import AuditRecord, Comment
from moderation.models import Sanction
from moderation.services import moderate_comment, moderate_comments, moderate_waiting
from tests.factories import UserFactory, make_comment

pytestmark = pytest.mark.django_db


def pending(article, author=None, body="A fair point about the budget."):
    return make_comment(article=article, author=author or UserFactory(), body=body, status="pending")


def test_the_comments_waiting_are_decided_with_the_one_whose_message_came(article):
    first, *others = [
        pending(article, body=f"Point number {word}.") for word in ["one", "two", "three", "four"]
    ]

    assert moderate_waiting(comment_id=first.pk, version=first.version) == "approve"

    assert set(Comment.objects.values_list("status", flat=True)) == {"approved"}
    assert [moderate_comment(comment_id=c.pk, version=c.version) for c in others] == ["skipped"] * 3


def test_a_batch_reads_the_rules_and_the_authors_standing_once(article):
    comments = [pending(article, body=f"Remark {word}.") for word in "abcdefghij"]

    with CaptureQueriesContext(connection) as queries:
        moderate_comments([(c.pk, c.version) for c in comments])

    sql = [q["sql"] for q in queries.captured_queries]
    assert sum("moderation_sanction" in q for q in sql) == 1
    assert sum("moderation_wordlistentry" in q for q in sql) == 1
    assert sum("moderation_textfingerprint" in q for q in sql) == 2  # one read, one write


def test_each_comment_in_a_batch_gets_its_own_decision_and_audit_record(article):
    civil, threat = pending(article), pending(article, body="I will find you.")

    decisions = moderate_comments([(civil.pk, civil.version), (threat.pk, threat.version)])

    assert decisions == ["approve", "review"]
    assert AuditRecord.objects.get(comment=threat).actor_name == "system:threat_words@2"


def test_a_repeat_inside_one_batch_is_still_a_duplicate(article):
    author = UserFactory()
    once, again = (
        pending(article, author, "Exactly these words."),
        pending(article, author, "Exactly these words!"),
    )

    assert moderate_comments([(once.pk, once.version), (again.pk, again.version)]) == ["approve", "reject"]


def test_a_spam_wave_inside_one_batch_is_still_a_wave(article):
    comments = [pending(article, body="Thanks for the update on the bridge") for _ in range(3)]

    assert moderate_comments([(c.pk, c.version) for c in comments]) == ["approve", "approve", "review"]


def test_a_sanction_in_a_batch_applies_to_its_author_only(article):
    banned, fine = UserFactory(), UserFactory()
    Sanction.objects.create(user=banned, kind="ban", reason="abuse")
    one, other = pending(article, banned), pending(article, fine)

    assert moderate_comments([(one.pk, one.version), (other.pk, other.version)]) == ["reject", "approve"]


def test_a_batch_skips_what_was_decided_already(article):
    comment = pending(article)
    moderate_comment(comment_id=comment.pk, version=comment.version)

    assert moderate_comments([(comment.pk, comment.version)]) == ["skipped"]
    assert AuditRecord.objects.filter(comment=comment).count() == 1


def test_a_text_posted_while_a_message_waits_sends_none_and_is_decided_by_that_message(
    article, monkeypatch, django_capture_on_commit_callbacks
):
    from comments.services import post_comment
    from moderation import tasks

    sent = []
    monkeypatch.setattr(tasks, "LANES", 1)
    monkeypatch.setattr(tasks.check_comment, "delay", lambda *args: sent.append(args))

    def post(body):
        with django_capture_on_commit_callbacks(execute=True):
            return post_comment(article=article, author=UserFactory(), body=body)

    first, second = post("First thoughts."), post("Second thoughts.")
    assert [args[0] for args in sent] == [first.pk]

    tasks.check_comment(*sent[0])

    assert set(Comment.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)) == {
        "approved"
    }
    third = post("Third thoughts, after the lane was freed.")
    assert [args[0] for args in sent] == [first.pk, third.pk]
