import pytest

pytestmark = pytest.mark.django_db


def test_healthz_in_eager_mode_says_so_instead_of_failing(client, settings):
    settings.CELERY_EAGER = True

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert "eager" in response.json()["redis"]


def test_healthz_names_redis_when_it_is_down(client, settings):
    settings.CELERY_EAGER = False
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["redis"].startswith("down")
    assert response.json()["database"] == "ok"


@pytest.mark.integration
def test_healthz_reports_no_worker_as_503(client, redis_client, settings):
    settings.CELERY_EAGER = False

    response = client.get("/healthz")

    # No worker process is running in this test.
    assert response.status_code == 503
    assert response.json()["redis"] == "ok"
    assert response.json()["worker"] == "down: no worker answered"
