"""`make run` (bin/run) links emails to where it serves: SITE_URL follows PORT (issue 30)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail

from tests.factories import ArticleFactory, UserFactory, make_comment


def _run_env(**env) -> dict:
    base = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "PORT"}}
    out = subprocess.run(
        [str(Path(settings.BASE_DIR, "bin", "run")), "--env"],
        env={**base, "PATH": f"{Path(sys.executable).parent}:{base.get('PATH', '')}", **env},
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    return dict(line.split("=", 1) for line in out.stdout.split())


def test_make_run_sets_site_url_from_port():
    assert _run_env(PORT="8303")["SITE_URL"] == "http://127.0.0.1:8303"
    assert _run_env()["SITE_URL"] == "http://127.0.0.1:8000"


def test_a_site_url_given_is_kept():
    assert _run_env(PORT="8303", SITE_URL="https://news.example")["SITE_URL"] == "https://news.example"


@pytest.mark.django_db
def test_reply_emails_link_to_site_url_only(settings, django_capture_on_commit_callbacks):
    from comments.services import change_status

    settings.SITE_URL = "http://news.example:8303"
    article = ArticleFactory(slug="story")
    alice = UserFactory(email="alice@example.com")
    top = make_comment(article=article, author=alice)
    reply = make_comment(article=article, parent=top, status="pending")
    with django_capture_on_commit_callbacks(execute=True):
        change_status(
            comment=reply, to_status="approved", actor_name="system", action="moderation.comment.approved"
        )

    body = mail.outbox[0].body
    links = [word for word in body.split() if "://" in word]
    assert links and all(link.startswith("http://news.example:8303/") for link in links)
    assert f"http://news.example:8303/articles/story/?comment={reply.pk}#c{reply.pk}" in links
