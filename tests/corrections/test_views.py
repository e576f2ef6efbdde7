import json
import re

import pytest

from corrections import services
from corrections.models import CorrectionReport
from tests.factories import ArticleFactory, desk_editor

pytestmark = pytest.mark.django_db
SEED_URL = "/articles/98000-russians-flee-to-kazakhstan/"
FORM_URL = SEED_URL + "corrections/new/"


def test_the_correction_form_shows_every_field_without_javascript(client, seeded):
    html = client.get(FORM_URL).content.decode()

    for label in ["The passage concerned", "What is wrong", "Suggested wording", "Your name", "Your email"]:
        assert label in html
    assert 'method="post"' in html


def test_sending_the_form_files_the_report_and_thanks_the_reader(client, seeded):
    response = client.post(
        FORM_URL,
        {"quote": "98,000 Russians", "message": "It was 89,000.", "email": "r@example.com", "website": ""},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == SEED_URL + "corrections/thanks/"
    assert "Thank you for your report" in response.content.decode()
    report = CorrectionReport.objects.get()
    assert (report.article, report.quote, report.message, report.email) == (
        seeded,
        "98,000 Russians",
        "It was 89,000.",
        "r@example.com",
    )


def test_the_form_without_a_message_is_shown_again_with_the_error(client, seeded):
    response = client.post(FORM_URL, {"quote": "98,000 Russians", "message": ""})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not CorrectionReport.objects.exists()


def test_the_form_refuses_a_message_over_5000_characters(client, seeded):
    response = client.post(FORM_URL, {"message": "x" * 5001})

    assert response.status_code == 400
    assert not CorrectionReport.objects.exists()


def test_a_filled_honeypot_thanks_the_bot_but_files_the_report_as_rejected(client, seeded):
    response = client.post(FORM_URL, {"message": "Great site", "website": "http://spam.example"})

    assert response.status_code == 302
    assert CorrectionReport.objects.get().status == "rejected"


def test_the_form_is_limited_per_address(client, seeded, settings):
    settings.CORRECTION_RATE_LIMIT = 2
    for _ in range(2):
        client.post(FORM_URL, {"message": "Wrong figure."})

    response = client.post(FORM_URL, {"message": "Wrong figure."})

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert CorrectionReport.objects.count() == 2


def test_the_article_page_carries_the_ctrl_enter_dialog_and_its_script(client, seeded):
    html = client.get(SEED_URL).content.decode()

    assert '<dialog id="correction-dialog"' in html
    assert 'data-api="/api/v1/articles/98000-russians-flee-to-kazakhstan/corrections/"' in html
    assert "/static/js/corrections.js" in html


def test_a_published_notice_shows_at_the_end_of_the_article_with_its_date(client, seeded):
    report = services.create_correction_report(article=seeded, message="Wrong number.")
    notice = services.publish_correction(
        report=report, text="An earlier version of this article misstated the number.", user=desk_editor()
    )

    html = client.get(SEED_URL).content.decode()

    section = re.search(r'<section class="correction-notices".*?</section>', html, re.S).group(0)
    assert "An earlier version of this article misstated the number." in section
    assert notice.published_at.strftime("%Y-%m-%d") in section
    assert html.index("Ravina Shamdasani said on Sep. 27.") < html.index('class="correction-notices"')


def test_a_published_notice_is_in_the_json_ld_as_correction(client, seeded):
    report = services.create_correction_report(article=seeded, message="Wrong number.")
    services.publish_correction(
        report=report, text="An earlier version misstated the number.", user=desk_editor()
    )

    html = client.get(SEED_URL).content.decode()

    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["correction"][0]["@type"] == "CorrectionComment"
    assert data["correction"][0]["text"] == "An earlier version misstated the number."


def test_publishing_shows_the_updated_date_on_the_article(client, seeded):
    report = services.create_correction_report(article=seeded, message="Wrong number.")
    services.publish_correction(
        report=report, text="An earlier version misstated the number.", user=desk_editor()
    )

    assert "· Updated" in client.get(SEED_URL).content.decode()


def test_the_public_log_lists_notices_newest_first(client):
    editor = desk_editor()
    for headline in ["Older story", "Newer story"]:
        article = ArticleFactory(headline=headline)
        report = services.create_correction_report(article=article, message="Wrong.")
        services.publish_correction(report=report, text=f"Corrected: {headline}.", user=editor)

    html = client.get("/corrections/").content.decode()

    assert html.index("Corrected: Newer story.") < html.index("Corrected: Older story.")


def test_reader_text_in_a_notice_is_shown_as_text(client):
    article = ArticleFactory()
    report = services.create_correction_report(article=article, message="Wrong.")
    services.publish_correction(report=report, text="Misstated <script>alert(1)</script>", user=desk_editor())

    html = client.get("/corrections/").content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
