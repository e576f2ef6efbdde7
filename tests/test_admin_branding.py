"""The admin carries the site's name, not Django's (issue 30)."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_admin_is_branded_with_the_site_name(client, settings):
    settings.SITE_NAME = "The Daily Example"
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    for address in ["/admin/", "/admin/login/", "/admin/articles/article/"]:
        html = client.get(address, follow=True).content.decode()
        assert "The Daily Example admin" in html, address
        assert "Django administration" not in html and "Django site admin" not in html, address
