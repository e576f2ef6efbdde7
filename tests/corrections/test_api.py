import pytest

from corrections.models import CorrectionReport

pytestmark = pytest.mark.django_db
API = "/api/v1/articles/98000-russians-flee-to-kazakhstan/corrections/"


def _post(client, **data):
    return client.post(API, data, content_type="application/json")


def test_a_report_through_the_api_is_created(client, seeded):
    response = _post(
        client,
        quote="98,000 Russians",
        prefix="An estimated ",
        suffix=" have fled",
        message="It was 89,000.",
        suggestion="89,000 Russians",
        name="Ann",
        email="ann@example.com",
    )

    assert response.status_code == 201
    assert response.json()["status"] == "new"
    assert response.json()["article"] == "98000-russians-flee-to-kazakhstan"
    report = CorrectionReport.objects.get(pk=response.json()["id"])
    assert (report.prefix, report.suffix, report.suggestion) == (
        "An estimated ",
        " have fled",
        "89,000 Russians",
    )


def test_the_api_does_not_echo_the_readers_email(client, seeded):
    response = _post(client, message="Wrong.", email="ann@example.com")

    assert "email" not in response.json()


def test_the_api_needs_a_message(client, seeded):
    response = _post(client, quote="98,000 Russians")

    assert response.status_code == 400
    assert response.json()["detail"].startswith("Invalid input. message:")
    assert "message" in response.json()


def test_the_api_refuses_a_quote_over_1000_characters(client, seeded):
    response = _post(client, quote="x" * 1001, message="Too long.")

    assert response.status_code == 400
    assert "quote" in response.json()


def test_the_api_refuses_a_message_over_5000_characters(client, seeded):
    assert _post(client, message="x" * 5001).status_code == 400


def test_the_api_refuses_a_bad_email(client, seeded):
    response = _post(client, message="Wrong.", email="not-an-address")

    assert response.status_code == 400
    assert "email" in response.json()


def test_the_api_refuses_a_body_that_is_not_an_object(client, seeded):
    response = client.post(API, "[1, 2]", content_type="application/json")

    assert response.status_code == 400
    assert not CorrectionReport.objects.exists()


def test_the_api_answers_404_for_an_unknown_article(client):
    assert _post(client, message="Wrong.").status_code == 404


def test_the_api_is_limited_to_five_reports_per_address_in_redis(client, seeded, redis_client):
    statuses = [_post(client, message=f"Wrong {i}.").status_code for i in range(6)]

    assert statuses == [201] * 5 + [429]
    assert CorrectionReport.objects.count() == 5


def test_the_api_rate_limit_answer_says_when_to_retry(client, seeded, redis_client, settings):
    settings.CORRECTION_RATE_LIMIT = 1
    _post(client, message="Wrong.")

    response = _post(client, message="Wrong again.")

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 600
    assert "detail" in response.json()


def test_the_api_keeps_the_limit_per_address(client, seeded, redis_client, settings):
    settings.CORRECTION_RATE_LIMIT = 1
    _post(client, message="Wrong.")

    response = client.post(
        API, {"message": "Me too."}, content_type="application/json", REMOTE_ADDR="10.0.0.9"
    )

    assert response.status_code == 201


def test_the_corrections_endpoint_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()

    assert "/api/v1/articles/{slug}/corrections/" in schema
    assert "CorrectionInput" in schema
