"""axe-core on the pages readers, moderators and the desk use: no serious or critical violation.

axe-core comes from the project's own package.json (pinned; `make install` runs `npm ci`).
"""

from pathlib import Path

import pytest
from django.conf import settings

from comments.models import AuditRecord
from tests.conftest import log_in, require
from tests.factories import ArticleFactory, ReviewItemFactory, UserFactory, make_comment, moderator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = Path(settings.BASE_DIR, "node_modules", "axe-core", "axe.min.js")
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def axe_page(browser, live_server):
    require(AXE.exists(), "needs axe-core: run `make install` (npm ci)")
    # axe is added to the page as a script of the test's own: the site's CSP allows no inline script.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def serious(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("axe.run(document, { resultTypes: ['violations'] })")["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def thread():
    article = ArticleFactory(slug="story")
    top = make_comment(article=article, body="A first comment")
    make_comment(article=article, body="A reply to it", parent=top)
    make_comment(article=article, body="Another comment")
    return article


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "390px"])
def test_reader_pages_have_no_serious_violation(axe_page, thread, viewport):
    if viewport:
        axe_page.set_viewport_size(viewport)
    for address in ["/", "/articles/story/", "/accounts/login/", "/accounts/signup/", "/corrections/"]:
        axe_page.goto(address)
        assert serious(axe_page) == [], address
    UserFactory(username="alice")
    log_in(axe_page, "alice")
    for address in ["/articles/story/", "/accounts/me/"]:
        axe_page.goto(address)
        assert serious(axe_page) == [], address
    axe_page.goto("/articles/story/")
    axe_page.locator("summary", has_text="Report").first.click()
    assert serious(axe_page) == [], "the Report panel open"


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "390px"])
def test_the_queue_after_claiming_and_the_dashboard_have_no_serious_violation(axe_page, thread, viewport):
    if viewport:
        axe_page.set_viewport_size(viewport)
    for n in range(3):
        ReviewItemFactory(article=thread, body=f"Held comment {n}", checked=True)
    moderator(username="mo")
    log_in(axe_page, "mo", "/moderation/")
    axe_page.get_by_role("button", name="Claim next").click()
    axe_page.locator(".review-item").first.wait_for()
    assert serious(axe_page) == [], "the queue"
    axe_page.goto("/moderation/dashboard/")
    assert serious(axe_page) == [], "the dashboard"
    assert AuditRecord.objects.exists()


def test_admin_lists_have_no_serious_violation(axe_page, thread):
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    log_in(axe_page, "boss", "/admin/")
    for address in [
        "/admin/",
        "/admin/comments/comment/",
        "/admin/articles/article/",
        "/admin/moderation/reviewitem/",
        "/admin/corrections/correctionreport/",
    ]:
        axe_page.goto(address)
        assert serious(axe_page) == [], address
