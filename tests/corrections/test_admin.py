import pytest
from django.contrib.auth.models import Permission

from corrections import services
from corrections.models import CorrectionNotice, CorrectionReport
from tests.corrections.conftest import SENTENCE
from tests.factories import UserFactory, moderator

pytestmark = pytest.mark.django_db
LIST = "/admin/corrections/correctionreport/"


def _report(article, **fields):
    return services.create_correction_report(
        article=article, message=fields.pop("message", "Wrong."), **fields
    )


def _act(client, action, reports, **data):
    return client.post(LIST, {"action": action, "_selected_action": [r.pk for r in reports], **data})


def test_the_desk_list_shows_passage_message_status_and_readers_of_the_passage(client, editor, article):
    _report(article, quote="four metres overnight", message="It was three metres.")
    _report(article, quote="rose by four metres")

    html = client.get(LIST).content.decode()

    assert "four metres overnight" in html
    assert "It was three metres." in html
    assert '<td class="field-reporters">2</td>' in html


def test_the_desk_list_filters_by_status(client, editor, article):
    _report(article, quote="four metres", message="Open one.")
    done = _report(article, quote="The storm came", message="Closed one.")
    services.reject_reports(reports=[done], user=editor, reply="It is right.")

    html = client.get(LIST, {"status": "new"}).content.decode()

    assert "Open one." in html
    assert "Closed one." not in html


def test_the_desk_list_searches_passage_and_message(client, editor, article):
    _report(article, quote="four metres", message="Height is wrong.")
    _report(article, message="Spelling of the town.")

    html = client.get(LIST, {"q": "metres"}).content.decode()

    assert "Height is wrong." in html
    assert "Spelling of the town." not in html


def test_the_desk_list_sorts_oldest_first(client, editor, article):
    _report(article, message="First report.")
    _report(article, message="Second report.")

    newest = client.get(LIST).content.decode()
    oldest = client.get(LIST, {"o": "8"}).content.decode()  # the age column

    assert newest.index("Second report.") < newest.index("First report.")
    assert oldest.index("First report.") < oldest.index("Second report.")


def test_the_desk_list_filters_by_age(client, editor, article):
    from django.utils import timezone

    old = _report(article, message="Old report.")
    CorrectionReport.objects.filter(pk=old.pk).update(created_at=timezone.now() - timezone.timedelta(days=10))
    _report(article, message="Fresh report.")

    html = client.get(LIST, {"age": "old"}).content.decode()

    assert "Old report." in html
    assert "Fresh report." not in html


def test_the_change_page_highlights_the_passage_in_the_current_text(client, editor, article):
    report = _report(article, quote="rose by four metres")

    html = client.get(f"{LIST}{report.pk}/change/").content.decode()

    assert "<mark>rose by four metres</mark>" in html
    assert "Found exactly as quoted." in html


def test_the_change_page_finds_the_passage_after_the_article_was_edited(client, editor, article):
    report = _report(article, quote="The river rose by four metres overnight")
    article.blocks.filter(text=SENTENCE).update(text=SENTENCE.replace("four metres", "three metres"))

    html = client.get(f"{LIST}{report.pk}/change/").content.decode()

    assert "<mark>The river rose by three metres overnight" in html
    assert "Found approximately" in html


def test_the_change_page_says_when_the_passage_is_gone(client, editor, article):
    report = _report(article, quote="The river rose by four metres overnight")
    article.blocks.filter(text=SENTENCE).update(text="The mayor thanked the volunteers for their hard work.")

    html = client.get(f"{LIST}{report.pk}/change/").content.decode()

    assert "Could not find this passage" in html


def test_assign_to_me_assigns_the_whole_passage(client, editor, article):
    first = _report(article, quote="rose by four metres")
    second = _report(article, quote="four metres overnight")

    _act(client, "assign_to_me", [first])

    assert set(CorrectionReport.objects.values_list("assignee", flat=True)) == {editor.pk}
    assert second.status_changes.count() == 0


def test_start_moves_the_passage_to_in_progress_with_who_and_when(client, editor, article):
    report = _report(article, quote="rose by four metres")

    _act(client, "start", [report])

    report.refresh_from_db()
    assert (report.status, report.assignee) == ("in_progress", editor)
    change = report.status_changes.get()
    assert (change.changed_by, change.to_status) == (editor, "in_progress")


def test_reject_asks_for_a_reply_first(client, editor, article):
    report = _report(article)

    response = _act(client, "reject_with_reply", [report])

    assert response.status_code == 200
    assert "Reply to the reader" in response.content.decode()
    assert CorrectionReport.objects.get().status == "new"


def test_reject_with_a_reply_files_the_reports_as_rejected(client, editor, article):
    report = _report(article)

    _act(client, "reject_with_reply", [report], apply="1", reply="The figure is right; see the UN statement.")

    report.refresh_from_db()
    assert (report.status, report.reply) == ("rejected", "The figure is right; see the UN statement.")
    assert report.status_changes.get().changed_by == editor


def test_mark_duplicate_points_at_the_original(client, editor, article):
    original = _report(article, quote="The storm came")
    copy = _report(article, quote="rose by four metres")

    _act(client, "mark_duplicate", [copy], apply="1", original=str(original.pk))

    copy.refresh_from_db()
    assert (copy.status, copy.duplicate_of, copy.group_id) == ("duplicate", original, original.pk)


def test_mark_duplicate_of_itself_is_refused_with_a_message(client, editor, article):
    report = _report(article)

    response = _act(client, "mark_duplicate", [report], apply="1", original=str(report.pk))

    assert "cannot be a duplicate of itself" in response.content.decode()
    assert CorrectionReport.objects.get().status == "new"


def test_publish_notice_publishes_and_resolves_the_passage(client, editor, article):
    report = _report(article, quote="rose by four metres")
    _report(article, quote="four metres overnight")

    _act(
        client,
        "publish_notice",
        [report],
        apply="1",
        confirmed="1",
        text="An earlier version of this article misstated the rise.",
    )

    notice = CorrectionNotice.objects.get()
    assert (notice.article, notice.published_by) == (article, editor)
    assert set(CorrectionReport.objects.values_list("status", flat=True)) == {"published"}
    assert (
        "An earlier version of this article misstated the rise."
        in client.get(article.get_absolute_url()).content.decode()
    )


def test_the_desk_sees_the_readers_email(client, editor, article):
    report = _report(article, email="ann@example.com")

    assert "ann@example.com" in client.get(f"{LIST}{report.pk}/change/").content.decode()


def test_a_moderator_not_on_the_desk_cannot_open_the_reports(client, article):
    client.force_login(moderator(is_staff=True))
    _report(article, email="ann@example.com")

    assert client.get(LIST).status_code == 403


def test_a_moderator_allowed_to_view_reports_still_cannot_see_email_addresses(client, article):
    user = moderator(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_correctionreport"))
    client.force_login(user)
    report = _report(article, email="ann@example.com")

    response = client.get(f"{LIST}{report.pk}/change/")

    assert response.status_code == 200
    assert "ann@example.com" not in response.content.decode()


def test_a_reader_without_staff_rights_is_sent_to_the_admin_login(client, article):
    client.force_login(UserFactory())

    assert client.get(LIST).status_code == 302


def test_the_desk_group_may_work_reports_but_not_delete_them(client, editor, article):
    report = _report(article)

    assert client.get(f"{LIST}{report.pk}/delete/").status_code == 403
    assert editor.has_perm("corrections.change_correctionreport")


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_desk_pages_answer_at_their_old_addresses_too(client, editor, method):
    response = getattr(client, method)("/admin/articles/correctionreport/7/fix/?from=mail")

    assert response.status_code == 308
    assert response["Location"] == "/admin/corrections/correctionreport/7/fix/?from=mail"


def test_articles_keep_their_admin_address(client, editor, article):
    assert client.get(f"/admin/articles/article/{article.pk}/revisions/").status_code == 200
