"""The client's address behind reverse proxies (TRUSTED_PROXY_COUNT / TRUSTED_PROXIES)."""

import pytest
from django.test import RequestFactory

from config.ratelimit import client_ip

pytestmark = pytest.mark.django_db
REPORTS = "/api/v1/articles/98000-russians-flee-to-kazakhstan/corrections/"
PROXY = "10.0.0.5"


def _address(xff: str | None, *, peer: str = PROXY) -> str:
    headers = {"HTTP_X_FORWARDED_FOR": xff} if xff is not None else {}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=peer, **headers))


def _report(client, *, peer: str, xff: str | None = None):
    headers = {"HTTP_X_FORWARDED_FOR": xff} if xff is not None else {}
    return client.post(
        REPORTS, {"message": "Wrong."}, content_type="application/json", REMOTE_ADDR=peer, **headers
    )


def test_without_a_proxy_setting_x_forwarded_for_is_ignored():
    assert _address("198.51.100.7", peer="192.0.2.1") == "192.0.2.1"


def test_one_trusted_hop_gives_the_address_the_proxy_appended(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert _address("198.51.100.7") == "198.51.100.7"


def test_with_one_trusted_hop_an_address_the_client_wrote_first_is_not_believed(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert _address("1.2.3.4, 198.51.100.7") == "198.51.100.7"


def test_two_trusted_hops_skip_the_outer_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    assert _address("1.2.3.4, 198.51.100.7, 172.16.0.9") == "198.51.100.7"


def test_a_request_that_did_not_pass_the_proxy_keeps_its_own_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert _address(None, peer="192.0.2.1") == "192.0.2.1"


def test_a_listed_proxy_is_read_through(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    assert _address("1.2.3.4, 198.51.100.7") == "198.51.100.7"


def test_x_forwarded_for_from_an_address_not_listed_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    assert _address("198.51.100.7", peer="192.0.2.1") == "192.0.2.1"


def test_garbage_in_x_forwarded_for_falls_back_to_the_peer(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert _address("not an address, <script>") == PROXY


def test_without_a_proxy_setting_a_client_cannot_escape_the_report_limit_by_writing_the_header(
    client, seeded, settings
):
    settings.CORRECTION_RATE_LIMIT = 2

    answers = [_report(client, peer="192.0.2.1", xff=f"198.51.100.{n}").status_code for n in range(3)]

    assert answers == [201, 201, 429]


def test_behind_a_trusted_proxy_readers_have_their_own_report_limits(client, seeded, settings):
    settings.CORRECTION_RATE_LIMIT = 2
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(2):
        _report(client, peer=PROXY, xff="198.51.100.1")

    first_reader = _report(client, peer=PROXY, xff="198.51.100.1")
    second_reader = _report(client, peer=PROXY, xff="198.51.100.2")

    assert (first_reader.status_code, second_reader.status_code) == (429, 201)


def test_behind_a_trusted_proxy_commenters_are_limited_by_their_own_address(settings):
    from comments.ratelimit import comment_wait
    from tests.factories import UserFactory

    settings.COMMENT_IP_RATE_LIMIT = 1
    settings.TRUSTED_PROXY_COUNT = 1
    factory = RequestFactory()

    def post(user, xff):
        request = factory.post("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=xff)
        request.user = user
        return comment_wait(request)

    post(UserFactory(), "198.51.100.1")

    assert post(UserFactory(), "198.51.100.2") is None
    assert post(UserFactory(), "198.51.100.1") is not None
