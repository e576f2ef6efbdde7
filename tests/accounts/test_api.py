import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts import services
from comments.models import Comment
from tests.clients import api
from tests.factories import PASSWORD, UserFactory, make_comment

pytestmark = pytest.mark.django_db

ME = ["/api/v1/me/", "/api/v1/me/comments/", "/api/v1/me/export/"]


@pytest.mark.parametrize("path", ME)
def test_me_without_credentials_is_401(path):
    response = APIClient().get(path)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")
    assert "detail" in response.json()


def test_deleting_me_without_credentials_is_401(alice):
    assert APIClient().delete("/api/v1/me/").status_code == 401
    alice.refresh_from_db()
    assert alice.is_active


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("put", "/api/v1/me/"),
        ("post", "/api/v1/me/"),
        ("delete", "/api/v1/me/comments/"),
        ("post", "/api/v1/me/export/"),
    ],
)
def test_other_methods_on_me_are_405(alice, method, path):
    response = getattr(api(alice), method)(path)

    assert response.status_code == 405
    assert "detail" in response.json()


def test_me_is_the_readers_own_account(alice):
    services.update_profile(user=alice, display_name="Alice A.")

    data = api(alice).get("/api/v1/me/").json()

    assert data["username"] == "alice"
    assert data["display_name"] == "Alice A."
    assert data["email_verified"] is False
    assert data["notifications"] == {"reply": True, "approved": True, "featured": True}


def test_my_comments_have_status_and_plain_reason(article, alice):
    make_comment(
        article=article, author=alice, body="Held", status="in_review", hold_reason="links are checked first"
    )
    make_comment(
        article=article, author=alice, body="Refused", status="rejected", rejection_reason="it is spam"
    )
    make_comment(article=article, author=UserFactory(), body="Not mine")

    results = api(alice).get("/api/v1/me/comments/").json()["results"]

    assert [(c["body"], c["status"], c["reason"]) for c in results] == [
        ("Refused", "rejected", "it is spam"),
        ("Held", "in_review", "links are checked first"),
    ]


def test_my_comments_page_with_a_cursor(article, alice):
    for n in range(3):
        make_comment(article=article, author=alice, body=f"c{n}")
    client = api(alice)

    first = client.get("/api/v1/me/comments/?limit=2").json()
    second = client.get(first["next"]).json()

    assert [c["body"] for c in first["results"] + second["results"]] == ["c2", "c1", "c0"]
    assert second["next"] is None


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "limit=x", "cursor=abc", "cursor=-1"])
def test_bad_paging_of_my_comments_is_400(alice, query):
    response = api(alice).get(f"/api/v1/me/comments/?{query}")

    assert response.status_code == 400
    assert "detail" in response.json()


def test_the_export_has_everything_about_me(article, alice):
    make_comment(article=article, author=alice, body="Mine")

    response = api(alice).get("/api/v1/me/export/")

    assert response.status_code == 200
    assert set(response.json()) >= {"account", "comments", "likes", "flags", "ignored_commenters"}
    assert "attachment" in response["Content-Disposition"]


def test_deleting_me_leaves_placeholders_and_revokes_the_token(article, alice, bob):
    top = make_comment(article=article, author=alice, body="Alice speaks")
    make_comment(article=article, author=bob, parent=top, body="Bob answers")
    client = api(alice)

    response = client.delete("/api/v1/me/", {"password": PASSWORD}, format="json")

    assert response.status_code == 204
    assert not Token.objects.filter(user_id=alice.pk).exists()
    assert client.get("/api/v1/me/").status_code == 401
    thread = APIClient().get("/api/v1/articles/story/comments/").json()["results"]
    assert (thread[0]["author"], thread[0]["body"]) == (None, "[deleted]")
    assert thread[0]["replies"][0]["body"] == "Bob answers"
    assert Comment.objects.get(pk=top.pk).status == Comment.Status.DELETED


@pytest.mark.parametrize("count", [1, 30])
def test_me_api_query_counts_are_constant(article, alice, count, django_assert_num_queries):
    for n in range(count):
        make_comment(article=article, author=alice, body=f"c{n}")
    client = api(alice)
    client.get("/api/v1/me/")

    # Token with its user, then the profile.
    with django_assert_num_queries(2):
        client.get("/api/v1/me/")
    # Token with its user, then a page of comments with their articles.
    with django_assert_num_queries(2):
        client.get("/api/v1/me/comments/")


def test_the_schema_documents_every_me_address(client):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]

    assert set(paths["/api/v1/me/"]) == {"get", "delete"}
    assert set(paths["/api/v1/me/comments/"]) == {"get"}
    assert set(paths["/api/v1/me/export/"]) == {"get"}
