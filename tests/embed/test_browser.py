"""The embed in Chromium on the newsroom's own page, served on another origin (another host and
port: a cross-site frame, as on a real newsroom's site), with a real Celery worker moderating."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from comments.models import Comment
from corrections.models import CorrectionReport
from demo.newsroom import STORY_PATH, TITLE, serve_in_thread
from embed import services
from embed.models import RevokedToken
from tests.conftest import spare_port, wait_for
from tests.embed.conftest import KID, SECRET
from tests.factories import UserFactory, make_comment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FRAME = "#newsroom-comments iframe"


@pytest.fixture
def courier(live_server, settings):
    """The demo newsroom's site (The Valley Courier) on 127.0.0.1 (ours is on localhost), permitted to embed."""
    server = serve_in_thread("127.0.0.1", spare_port(), site=live_server.url, secret=SECRET, kid=KID)
    settings.EMBED_ORIGINS = settings.CORS_ALLOWED_ORIGINS = [server.url]
    yield server
    server.shutdown()


@pytest.fixture
def story(courier):
    return services.create_story(url=courier.url + STORY_PATH, title=TITLE)


def _open(page, courier):
    page.goto(courier.url + STORY_PATH)
    frame = page.frame_locator(FRAME)
    frame.locator("#comments").wait_for()
    return frame


def _frame_height(page) -> float:
    return page.locator(FRAME).evaluate("frame => frame.getBoundingClientRect().height")


def _content_height(page) -> float:
    return page.frame_locator(FRAME).locator("html").evaluate("html => html.getBoundingClientRect().height")


def _fits(page) -> bool:
    return abs(_frame_height(page) - _content_height(page)) <= 2


def test_the_thread_appears_in_the_newsrooms_page_and_the_frame_follows_its_height(page, courier, story):
    for n in range(25):
        make_comment(article=story, body=f"Comment number {n} on the floods")

    frame = _open(page, courier)

    frame.locator(".comment", has_text="Comment number 0 on the floods").wait_for()
    wait_for(lambda: _fits(page), message="the frame to take the thread's height")
    before = _frame_height(page)
    assert before > 1000
    assert page.frame_locator(FRAME).locator("html").evaluate("h => h.scrollHeight <= h.clientHeight + 2")

    frame.get_by_role("link", name="Load more comments").click()
    frame.locator(".comment", has_text="Comment number 24 on the floods").wait_for()
    wait_for(lambda: _fits(page) and _frame_height(page) > before, message="the frame to grow")


def test_the_story_is_created_by_the_first_reader_who_opens_the_page(page, courier):
    frame = _open(page, courier)

    frame.get_by_text("Write the first comment for this!").wait_for()
    assert frame.locator("#comments").get_attribute("data-article").startswith("floods-in-the-valley")


def test_a_subscriber_signed_in_by_the_newsroom_posts_and_the_comment_is_moderated_like_any_other(
    page, courier, story, celery_worker
):
    frame = _open(page, courier)

    page.get_by_role("button", name="Sign in as a subscriber").click()
    frame.get_by_text("Signed in as subscriber").wait_for()
    frame.get_by_label("Your comment").fill("The council did well to open the school hall.")
    frame.get_by_role("button", name="Post comment").click()

    frame.get_by_text("Thanks! Your comment is awaiting moderation.").wait_for()
    comment = Comment.objects.get(body="The council did well to open the school hall.")
    assert comment.article_id == story.pk
    assert comment.author.newsroom.newsroom_id == "demo-subscriber-1"
    approved = wait_for(
        lambda: Comment.objects.filter(pk=comment.pk, status="approved").first(),
        message="the worker's checks",
    )
    assert approved.audit_records.filter(actor_name__startswith="system").exists()


def test_the_frame_asks_the_newsroom_to_sign_the_reader_in(page, courier, story):
    frame = _open(page, courier)

    frame.get_by_role("link", name="Sign in to comment").click()

    frame.get_by_text("Signed in as subscriber").wait_for()
    assert frame.get_by_label("Your comment").is_visible()


def test_a_reply_arrives_live_in_the_frame(page, courier, story, celery_worker, settings):
    settings.LIVE_POLL_SECONDS = 1
    first = make_comment(article=story, body="Is the bridge open?")
    frame = _open(page, courier)
    frame.locator(".comment", has_text="Is the bridge open?").wait_for()

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=UserFactory()).key}")
    posted = client.post(
        f"/api/v1/articles/{story.slug}/comments/",
        {"body": "It reopened at noon.", "parent": first.pk},
        format="json",
    )
    assert posted.status_code == 201

    frame.get_by_text("1 new comment —").wait_for(timeout=30_000)
    frame.get_by_role("button", name="show").click()
    frame.locator(f"#comment-{first.pk} .replies .comment", has_text="It reopened at noon.").wait_for()


def test_a_passage_selected_on_the_newsrooms_page_is_reported_from_the_frame(page, courier, story):
    frame = _open(page, courier)
    page.evaluate(
        """() => {
            const p = [...document.querySelectorAll("article p")].find(e => e.textContent.includes("two metres"));
            const text = p.firstChild, start = text.data.indexOf("two metres");
            const range = document.createRange();
            range.setStart(text, start);
            range.setEnd(text, start + "two metres".length);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
        }"""
    )

    page.keyboard.press("Control+Enter")

    dialog = frame.get_by_role("dialog", name="Report a mistake")
    dialog.get_by_text("two metres", exact=True).wait_for()
    dialog.get_by_label("What is wrong").fill("The gauge says three metres.")
    dialog.get_by_role("button", name="Send the report").click()
    dialog.get_by_text("Thank you. The corrections desk will look into it.").wait_for()
    report = CorrectionReport.objects.get()
    assert (report.article_id, report.quote, report.message) == (
        story.pk,
        "two metres",
        "The gauge says three metres.",
    )
    assert report.prefix.endswith("The river rose ")
    assert report.suffix.startswith(" between midnight")


def test_signing_out_revokes_the_token_and_the_frame_shows_the_thread_as_anyone_sees_it(page, courier, story):
    frame = _open(page, courier)
    page.get_by_role("button", name="Sign in as a subscriber").click()
    frame.get_by_text("Signed in as subscriber").wait_for()

    page.get_by_role("button", name="Sign out").click()

    frame.get_by_role("link", name="Sign in to comment").wait_for()
    assert frame.get_by_label("Your comment").count() == 0
    assert wait_for(lambda: RevokedToken.objects.count() == 1, message="the token's revocation")


def test_a_foreign_site_may_not_frame_the_thread(page, courier, story, live_server):
    foreign = serve_in_thread("127.0.0.1", spare_port(), site=live_server.url, secret="")
    try:
        page.goto(foreign.url + "/nothing/")
        page.evaluate(
            """(src) => {
                const frame = document.createElement("iframe");
                frame.id = "framed";
                frame.src = src;
                document.body.appendChild(frame);
            }""",
            f"{live_server.url}/embed/{story.slug}/",
        )
        page.wait_for_timeout(1500)

        framed = page.frame_locator("#framed")
        assert framed.locator("#comments").count() == 0
        child = next(f for f in page.frames if f != page.main_frame)
        assert not child.url.startswith(live_server.url)
    finally:
        foreign.shutdown()


def test_without_javascript_the_frames_thread_reads_sorts_and_pages(browser, live_server, courier, story):
    for n in range(25):
        make_comment(article=story, body=f"Comment number {n} on the floods")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()

    page.goto(f"{live_server.url}/embed/{story.slug}/")
    page.locator(".comment", has_text="Comment number 0 on the floods").wait_for()
    newest = page.get_by_role("navigation", name="Sort comments").get_by_role("link", name="Newest")
    page.goto(newest.evaluate("link => link.href"))
    first = page.locator(".comment-list > .comment").first

    assert "Comment number 24 on the floods" in first.text_content()
    assert page.url.startswith(f"{live_server.url}/embed/{story.slug}/?sort=newest")
    more = page.get_by_role("link", name="Load more comments").evaluate("link => link.href")
    assert more.startswith(f"{live_server.url}/embed/{story.slug}/?sort=newest&cursor=")
    context.close()
