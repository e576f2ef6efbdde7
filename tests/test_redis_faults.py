"""With Redis stopped or frozen the site still answers, from the database, within about a second.

The site runs as in production (gunicorn, every Redis setting derived from REDIS_URL) against a
redis-server of the test's own, which the test kills, freezes (SIGSTOP) and starts again.
"""

import http.cookiejar
import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request  # noqa: S310 - requests go to the test's own gunicorn only
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token

from comments.models import Comment
from config.celery import app
from moderation.tasks import sweep_pending
from tests.conftest import WorkerProcess, broker_at, child_env, spare_port, stop_process, wait_for
from tests.factories import ArticleFactory, UserFactory, make_comment

pytestmark = pytest.mark.integration
# What "about a second" allows on a shared 2-core machine: the Redis timeouts are 0.25 s each.
PATIENCE = 1.5


@dataclass
class Answer:
    status: int
    headers: dict
    body: str
    seconds: float

    def json(self):
        return json.loads(self.body)


class Site:
    """gunicorn serving config.wsgi on the test database and the given Redis.

    One worker, so a warm-up request warms the process that the measured requests reach.
    """

    def __init__(self, redis_url: str):
        port = spare_port()
        self.base = f"http://127.0.0.1:{port}"
        self.log = Path(settings.BASE_DIR, ".pytest_cache", f"gunicorn-{port}.log")
        self.log.parent.mkdir(exist_ok=True)
        env = child_env(REDIS_URL=redis_url, DEBUG="true")
        self._logfile = self.log.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", "1", "--timeout", "60"],
            cwd=settings.BASE_DIR, env=env, stdout=self._logfile, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        self.browser = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        wait_for(self._up, timeout=30, message="gunicorn to serve")

    def _up(self) -> bool:
        if self.proc.poll() is not None:
            pytest.fail(f"gunicorn exited:\n{self.log.read_text()}")
        try:
            self.request("GET", "/healthz")
        except OSError:
            return False
        return True

    def request(self, method: str, path: str, *, data=None, form=None, token: str = "") -> Answer:
        headers = {"Authorization": f"Token {token}"} if token else {}
        body = None
        if data is not None:
            body, headers["Content-Type"] = json.dumps(data).encode(), "application/json"
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = self.base + path
        request = urllib.request.Request(self.base + path, data=body, headers=headers, method=method)
        started = time.monotonic()
        try:
            with self.browser.open(request, timeout=30) as response:
                status, reply = response.status, response
                text = reply.read().decode()
        except urllib.error.HTTPError as error:
            status, reply = error.code, error
            text = error.read().decode()
        return Answer(status, dict(reply.headers), text, time.monotonic() - started)

    def stop(self) -> None:
        stop_process(self.proc)
        self._logfile.close()


@pytest.fixture
def site(spare_redis, transactional_db):
    site = Site(spare_redis.url)
    yield site
    site.stop()


@pytest.fixture
def article(transactional_db):
    article = ArticleFactory()
    make_comment(article=article, body="Written before the outage.")
    return article


@pytest.fixture
def token(transactional_db) -> str:
    return Token.objects.create(user=UserFactory()).key


def _post_comment(site: Site, article, token: str) -> Answer:
    return site.request(
        "POST",
        f"/api/v1/articles/{article.slug}/comments/",
        data={"body": "Posted in the outage."},
        token=token,
    )


def _report_mistake(site: Site, article) -> Answer:
    return site.request(
        "POST", f"/api/v1/articles/{article.slug}/corrections/", data={"message": "The date is wrong."}
    )


def test_comment_posted_while_redis_is_down_is_saved_and_decided_once_redis_is_back(
    site, spare_redis, article, token, settings
):
    spare_redis.stop()

    answer = _post_comment(site, article, token)

    assert answer.status == 201, answer.body
    assert answer.seconds < PATIENCE
    assert Comment.objects.get(pk=answer.json()["id"]).status == "pending"

    spare_redis.start()
    worker = WorkerProcess(redis_url=spare_redis.url)
    try:
        settings.MODERATION_SWEEP_AFTER_SECONDS = 0
        app.conf.task_always_eager = False
        with broker_at(spare_redis.url):
            sweep_pending()  # what beat runs; the worker then decides the comment

        wait_for(
            lambda: Comment.objects.get(pk=answer.json()["id"]).status == "approved",
            message="the swept comment to be approved",
        )
    finally:
        worker.stop()


def test_comment_edited_while_redis_is_down_is_saved_waiting_for_its_checks(
    site, spare_redis, article, token
):
    own = make_comment(article=article, author=Token.objects.get(key=token).user, body="First words.")
    spare_redis.stop()

    answer = site.request("PATCH", f"/api/v1/comments/{own.pk}/", data={"body": "Better words."}, token=token)

    assert answer.status == 200, answer.body
    assert answer.seconds < PATIENCE
    assert Comment.objects.get(pk=own.pk).edit_body == "Better words."


def test_article_page_and_thread_are_served_from_the_database_while_redis_is_down(site, spare_redis, article):
    spare_redis.stop()

    page = site.request("GET", article.get_absolute_url())
    thread = site.request("GET", f"/api/v1/articles/{article.slug}/comments/")

    assert page.status == 200
    assert "Written before the outage." in page.body
    assert thread.status == 200
    assert [c["body"] for c in thread.json()["results"]] == ["Written before the outage."]


def _sign_in(site: Site, username: str) -> None:
    UserFactory(username=username)
    form_page = site.request("GET", "/accounts/login/")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_page.body).group(1)
    fields = {"username": username, "password": "correct horse battery staple"}
    site.request("POST", "/accounts/login/", form={"csrfmiddlewaretoken": csrf, **fields})


@pytest.mark.parametrize("fault", ["stop", "freeze"])
def test_signed_in_reader_stays_signed_in_while_redis_is_down(site, spare_redis, article, fault, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # the site's
    _sign_in(site, "someone")
    assert site.request("GET", article.get_absolute_url()).headers["Cache-Control"] == "private, no-store"
    getattr(spare_redis, fault)()

    page = site.request("GET", article.get_absolute_url())

    assert page.status == 200
    assert page.headers["Cache-Control"] == "private, no-store"
    assert "someone" in page.body
    assert page.seconds < PATIENCE


def test_anonymous_correction_report_is_refused_with_retry_after_while_redis_is_down(
    site, spare_redis, article
):
    spare_redis.stop()

    answer = _report_mistake(site, article)

    assert answer.status == 503
    assert int(answer.headers["Retry-After"]) > 0
    assert "Try again later" in answer.json()["detail"]


ANONYMOUS_FORMS = {
    "reports": ("/articles/{slug}/corrections/new/", {"message": "The date is wrong."}),
    "logins": ("/accounts/login/", {"username": "someone", "password": "a-long-pass-phrase"}),
    "password resets": ("/accounts/password_reset/", {"email": "reader@example.com"}),
    "sign-ups": (
        "/accounts/signup/",
        {
            "username": "newbie",
            "email": "n@example.com",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
        },
    ),
}


@pytest.mark.parametrize("what", ANONYMOUS_FORMS)
def test_anonymous_form_is_refused_with_retry_after_while_redis_is_down(site, spare_redis, article, what):
    path, fields = ANONYMOUS_FORMS[what]
    path = path.format(slug=article.slug)
    form_page = site.request("GET", path)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_page.body).group(1)
    spare_redis.stop()

    answer = site.request("POST", path, form={"csrfmiddlewaretoken": csrf, **fields})

    assert answer.status == 503
    assert int(answer.headers["Retry-After"]) > 0
    assert f"We cannot take {what} right now" in answer.body


def test_token_login_is_refused_with_retry_after_while_redis_is_down(site, spare_redis):
    UserFactory(username="reader")
    spare_redis.stop()

    answer = site.request(
        "POST", "/api/v1/auth/token/", data={"username": "reader", "password": "correct horse battery staple"}
    )

    assert answer.status == 503
    assert int(answer.headers["Retry-After"]) > 0
    assert "Try again later" in answer.json()["detail"]


def test_healthz_names_redis_while_it_is_down(site, spare_redis):
    spare_redis.stop()

    answer = site.request("GET", "/healthz")

    assert answer.status == 503
    assert answer.json()["redis"].startswith("down")
    assert answer.json()["database"] == "ok"


@pytest.mark.parametrize(
    "name, call, status",
    [
        ("comment post", lambda site, article, token: _post_comment(site, article, token), 201),
        ("article page", lambda site, article, token: site.request("GET", article.get_absolute_url()), 200),
        (
            "thread",
            lambda site, article, token: site.request("GET", f"/api/v1/articles/{article.slug}/comments/"),
            200,
        ),
        ("correction report", lambda site, article, token: _report_mistake(site, article), 503),
        ("health", lambda site, article, token: site.request("GET", "/healthz"), 503),
    ],
)
def test_frozen_redis_holds_no_request_for_more_than_about_a_second(
    site, spare_redis, article, token, name, call, status
):
    call(site, article, token)  # warm: code loaded, Redis connections open
    spare_redis.freeze()

    answers = [call(site, article, token) for _ in range(2)]

    assert [a.status for a in answers] == [status, status]
    assert max(a.seconds for a in answers) < PATIENCE, [a.seconds for a in answers]
