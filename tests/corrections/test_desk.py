"""The desk's publishing safeguards: preview and confirm, no half-written notices, a public trail
of edits, and correcting the reported passage with its notice in one step."""

import json
import re

import pytest
from django.utils import timezone

from articles.models import ArticleBlockRevision
from corrections import fixes, services
from corrections.models import CorrectionNotice, CorrectionNoticeRevision, CorrectionReport
from tests.corrections.conftest import SENTENCE
from tests.factories import UserFactory, article_change_form, desk_editor, moderator

pytestmark = pytest.mark.django_db
LIST = "/admin/corrections/correctionreport/"


def _report(article, **fields):
    return services.create_correction_report(
        article=article, message=fields.pop("message", "Wrong."), **fields
    )


def _publish(client, report, **data):
    return client.post(
        LIST, {"action": "publish_notice", "_selected_action": [report.pk], "apply": "1", **data}
    )


def test_publishing_shows_a_preview_and_publishes_nothing_yet(client, editor, article):
    report = _report(article, quote="four metres")

    html = _publish(client, report, text="An earlier version of this article gave the rise as four metres.")

    page = html.content.decode()
    assert "Preview: the notice as readers will see it" in page
    assert "At the end of the article" in page and "In the public log" in page
    assert "&quot;@type&quot;: &quot;NewsArticle&quot;" in page
    assert "&quot;@type&quot;: &quot;CorrectionComment&quot;" in page
    assert "Confirm and publish" in page
    assert not CorrectionNotice.objects.exists()
    assert CorrectionReport.objects.get().status == "new"


def test_confirming_the_preview_publishes_the_notice(client, editor, article):
    report = _report(article, quote="four metres")

    _publish(
        client, report, confirmed="1", text="An earlier version of this article gave the rise as four metres."
    )

    assert (
        CorrectionNotice.objects.get().text
        == "An earlier version of this article gave the rise as four metres."
    )


def test_change_the_text_goes_back_to_the_form_without_publishing(client, editor, article):
    report = _report(article)

    response = _publish(client, report, confirmed="1", edit="1", text="An earlier version said four metres.")

    assert "Preview the notice" in response.content.decode()
    assert not CorrectionNotice.objects.exists()


@pytest.mark.parametrize(
    "text",
    [
        "An earlier version of this article misstated ",
        "An earlier version of this article misstated.",
        "Correction. An earlier version of this article misstated …",
    ],
)
def test_a_notice_ending_in_the_template_words_cannot_be_published(client, editor, article, text):
    report = _report(article)

    response = _publish(client, report, confirmed="1", text=text)

    assert "Finish the notice" in response.content.decode()
    assert not CorrectionNotice.objects.exists()


def test_the_service_refuses_a_template_notice_too(article):
    with pytest.raises(services.CorrectionError, match="Finish the notice"):
        services.publish_correction(
            report=_report(article), text=services.NOTICE_TEMPLATE, user=desk_editor()
        )


def test_the_reports_list_opens_on_new_reports(client, editor, article):
    _report(article, message="Open one.")
    done = _report(article, quote="The storm came", message="Closed one.")
    services.reject_reports(reports=[done], user=editor, reply="It is right.")

    html = client.get(LIST).content.decode()
    everything = client.get(LIST, {"status": "all"}).content.decode()

    assert "Open one." in html and "Closed one." not in html
    assert "Open one." in everything and "Closed one." in everything


def _published(article, text="An earlier version of this article gave the rise as five metres."):
    return services.publish_correction(report=_report(article), text=text, user=desk_editor())


def test_editing_a_published_notice_keeps_its_earlier_wording_and_says_updated(client, editor, article):
    notice = _published(article)

    _edit_notice(
        client, notice, "An earlier version of this article gave the rise as five metres; it was four."
    )

    notice.refresh_from_db()
    assert notice.text.endswith("it was four.")
    assert notice.updated_at is not None
    earlier = CorrectionNoticeRevision.objects.get(notice=notice)
    assert (earlier.text, earlier.replaced_by) == (
        "An earlier version of this article gave the rise as five metres.",
        editor,
    )
    assert (
        "five metres."
        in client.get(f"/admin/corrections/correctionnotice/{notice.pk}/change/").content.decode()
    )


def test_an_edited_notice_shows_when_it_was_updated_on_the_article_and_in_the_log(client, article):
    notice = _published(article)
    services.edit_notice(notice=notice, text="The rise was four metres, not five.", user=desk_editor())
    stamp = timezone.localtime(CorrectionNotice.objects.get().updated_at).strftime("%-d %b %Y, %H:%M")

    on_article = client.get(article.get_absolute_url()).content.decode()
    in_log = client.get("/corrections/").content.decode()

    json_ld = json.loads(
        on_article.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    )

    assert "Updated <time" in on_article and stamp in on_article
    assert stamp in in_log
    assert json_ld["correction"][0]["dateModified"].startswith(timezone.now().strftime("%Y-%m-%d"))


def test_an_edit_to_template_words_is_refused(client, editor, article):
    notice = _published(article)

    response = _edit_notice(client, notice, services.NOTICE_TEMPLATE)

    assert "Finish the notice" in response.content.decode()
    assert not CorrectionNoticeRevision.objects.exists()


def _edit_notice(client, notice, text):
    # The read-only inline of earlier wordings still sends its management form.
    return client.post(
        f"/admin/corrections/correctionnotice/{notice.pk}/change/",
        {"text": text, "revisions-TOTAL_FORMS": "0", "revisions-INITIAL_FORMS": "0"},
    )


def _fix_url(report):
    return f"{LIST}{report.pk}/fix/"


def test_the_fix_page_highlights_the_passage_in_its_paragraph(client, editor, article):
    report = _report(article, quote="four metres")

    html = client.get(_fix_url(report)).content.decode()

    assert "The river rose by <mark>four metres</mark> overnight" in html


def test_fixing_previews_then_saves_a_revision_and_publishes_the_notice_in_one_step(client, editor, article):
    report = _report(article, quote="four metres")
    fixed = SENTENCE.replace("four metres", "three metres")
    data = {"paragraph": fixed, "text": "An earlier version of this article gave the rise as four metres."}

    preview = client.post(_fix_url(report), data).content.decode()
    assert "<del>four</del>" in preview and "<ins>three</ins>" in preview
    assert not CorrectionNotice.objects.exists()
    client.post(_fix_url(report), {**data, "confirmed": "1"})

    assert article.blocks.get(position=2).text == fixed
    assert list(ArticleBlockRevision.objects.values_list("number", "text")) == [(1, SENTENCE), (2, fixed)]
    notice = CorrectionNotice.objects.get()
    assert (notice.passage_before, notice.passage_after) == ("four metres", "three metres")
    assert CorrectionReport.objects.get().status == "published"
    page = client.get(article.get_absolute_url()).content.decode()
    assert "What changed" in page and "<del>four metres</del>" in page and "<ins>three metres</ins>" in page


def test_the_changed_passage_widens_to_whole_words_and_the_whole_edit():
    old = "The river rose by four metres overnight."
    new = "The river rose by three and a half metres on Tuesday."

    assert fixes.changed_passage(old, new, old.index("four"), old.index("four") + 4) == (
        "four metres overnight.",
        "three and a half metres on Tuesday.",
    )


def test_staff_see_a_diff_between_any_two_revisions(client, editor, article):
    block = article.blocks.get(position=2)
    fixes.revise_block(block=block, text=SENTENCE.replace("four", "three"), user=editor)
    last = fixes.revise_block(block=block, text=SENTENCE.replace("four", "two"), user=editor)
    first = ArticleBlockRevision.objects.get(number=1)

    html = client.get(f"/admin/articles/article/{article.pk}/revisions/", {"a": first.pk, "b": last.pk})

    assert "<del>four</del> <ins>two</ins>" in html.content.decode()


@pytest.mark.parametrize("path", ["fix", "revisions"])
@pytest.mark.parametrize(
    "who, status",
    [("anonymous", 302), ("commenter", 302), ("moderator", 302), ("staff moderator", 403), ("desk", 200)],
)
def test_who_may_open_the_fix_and_revisions_pages(client, article, path, who, status):
    report = _report(article, quote="four metres")
    users = {
        "commenter": lambda: UserFactory(),
        "moderator": lambda: moderator(),
        "staff moderator": lambda: moderator(is_staff=True),
        "desk": lambda: desk_editor(),
    }
    if who in users:
        client.force_login(users[who]())
    url = _fix_url(report) if path == "fix" else f"/admin/articles/article/{article.pk}/revisions/"

    assert client.get(url).status_code == status


def test_a_staff_moderator_cannot_fix_a_passage_by_posting(client, article):
    report = _report(article, quote="four metres")
    client.force_login(moderator(is_staff=True))

    response = client.post(_fix_url(report), {"paragraph": "Changed.", "text": "Fixed it.", "confirmed": "1"})

    assert response.status_code == 403
    assert article.blocks.get(position=2).text == SENTENCE


def test_the_site_header_links_staff_into_admin(client, article):
    client.force_login(desk_editor())
    staff = client.get(article.get_absolute_url()).content.decode()
    client.force_login(UserFactory())
    reader = client.get(article.get_absolute_url()).content.decode()

    assert '<a href="/admin/">Admin</a>' in staff
    assert '<a href="/admin/">Admin</a>' not in reader


@pytest.mark.parametrize("where", ["article", "form"])
def test_every_aria_describedby_of_the_correction_fields_points_to_an_element(client, article, where):
    url = article.get_absolute_url() if where == "article" else f"/articles/{article.slug}/corrections/new/"
    html = client.get(url).content.decode()

    ids = set(re.findall(r'\bid="([^"]+)"', html))
    described = [ref for refs in re.findall(r'aria-describedby="([^"]+)"', html) for ref in refs.split()]
    assert described
    assert [ref for ref in described if ref not in ids] == []


def test_an_admin_edit_of_a_paragraph_is_kept_as_a_revision(client, article):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    data = article_change_form(article, texts={2: SENTENCE.replace("four", "three")})

    response = client.post(f"/admin/articles/article/{article.pk}/change/", data)

    assert response.status_code == 302
    assert list(ArticleBlockRevision.objects.values_list("number", "text", "created_by")) == [
        (1, SENTENCE, None),
        (2, SENTENCE.replace("four", "three"), admin.pk),
    ]


def _previewed_json_ld(html: str) -> dict:
    import html as html_lib

    block = html.split('<pre class="preview-frame json-ld-preview">', 1)[1].split("</pre>", 1)[0]
    return json.loads(html_lib.unescape(block))


def test_the_fix_preview_json_ld_shows_the_new_text_and_date(client, editor, article):
    report = _report(article, quote="four metres")
    fixed = SENTENCE.replace("four metres", "three metres")
    data = {"paragraph": fixed, "text": "An earlier version of this article gave the rise as four metres."}

    json_ld = _previewed_json_ld(client.post(_fix_url(report), data).content.decode())

    assert "three metres" in json_ld["articleBody"] and "four metres" not in json_ld["articleBody"]
    assert json_ld["dateModified"].startswith(timezone.now().strftime("%Y-%m-%d"))
    assert json_ld["dateModified"] > article.updated_at.isoformat()


def test_a_correction_the_day_the_article_came_out_shows_updated_in_its_header(client, editor, article):
    report = _report(article, quote="four metres")
    services.publish_correction(report=report, text="An earlier version gave four metres.", user=editor)

    page = client.get(article.get_absolute_url()).content.decode()
    header = page.split('class="article-header"', 1)[1].split("</header>", 1)[0]

    assert "· Updated <time" in header
