from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


def test_api_token_creates_the_user_in_its_groups_and_prints_its_token():
    out = StringIO()

    call_command("api_token", "checker", "--group", "Moderators", stdout=out)

    user = get_user_model().objects.get(username="checker")
    assert out.getvalue().strip() == Token.objects.get(user=user).key
    assert list(user.groups.values_list("name", flat=True)) == ["Moderators"]
    assert not user.has_usable_password()


def test_api_token_prints_the_same_token_twice():
    first, second = StringIO(), StringIO()

    call_command("api_token", "checker", stdout=first)
    call_command("api_token", "checker", stdout=second)

    assert first.getvalue() == second.getvalue()
