"""The OpenAPI document at /api/schema/ says what the API does (issue 12, item 8).

CI also runs schemathesis over the whole document against a running site (`make schemathesis`).
"""

import pytest

from tests.clients import api
from tests.factories import ArticleFactory, UserFactory, make_comment, moderator

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client) -> dict:
    return client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


def operations(schema: dict):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", method, operation


def test_every_write_lists_400_and_413(schema):
    missing = {
        name: sorted({"400", "413"} - set(operation["responses"]))
        for name, method, operation in operations(schema)
        if method in {"post", "put", "patch"}
    }

    assert {name: codes for name, codes in missing.items() if codes} == {}


def test_every_operation_lists_401_and_404_where_it_has_an_id(schema):
    missing = {}
    for name, _method, operation in operations(schema):
        expected = {"401"} | ({"404"} if "{" in name else set())
        if expected - set(operation["responses"]):
            missing[name] = sorted(expected - set(operation["responses"]))

    assert missing == {}


def test_moderation_operations_list_403(schema):
    missing = [
        name
        for name, _method, operation in operations(schema)
        if "/moderation/" in name and "403" not in operation["responses"]
    ]

    assert missing == []


@pytest.mark.parametrize(
    "operation, code",
    [
        ("POST /api/v1/articles/{slug}/comments/", "429"),
        ("POST /api/v1/articles/{slug}/corrections/", "429"),
        ("PATCH /api/v1/comments/{id}/", "429"),
        ("POST /api/v1/comments/{id}/flags/", "409"),
        ("POST /api/v1/moderation/items/{id}/decision/", "409"),
        ("POST /api/v1/moderation/undo/", "409"),
    ],
)
def test_throttles_and_conflicts_are_listed_with_a_detail(schema, operation, code):
    method, path = operation.split()

    response = schema["paths"][path][method.lower()]["responses"][code]

    component = response["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert "detail" in schema["components"]["schemas"][component]["required"]


def test_error_answers_have_a_detail(schema):
    assert schema["components"]["schemas"]["ErrorOutput"]["required"] == ["detail"]


def test_required_text_is_documented_as_not_blank(schema):
    body = schema["components"]["schemas"]["CommentInput"]["properties"]["body"]

    assert (body["minLength"], body["pattern"]) == (1, r"\S")


@pytest.mark.parametrize(
    "path, body",
    [
        ("/api/v1/articles/story/comments/", {"body": 0}),
        ("/api/v1/articles/story/comments/", {"body": 1.5}),
        ("/api/v1/articles/story/corrections/", {"message": 12345}),
        ("/api/v1/auth/token/", {"username": 0, "password": "x"}),
    ],
)
def test_a_number_where_the_schema_says_string_is_400(path, body):
    ArticleFactory(slug="story")
    field = next(iter(body))

    response = api(UserFactory()).post(path, body, format="json")

    assert response.status_code == 400
    assert response.json()[field] == ["Not a valid string."]


def test_a_number_as_a_moderators_reason_is_400():
    author = UserFactory()

    response = api(moderator()).post(
        f"/api/v1/moderation/users/{author.pk}/sanctions/", {"kind": "ban", "reason": 7}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["reason"] == ["Not a valid string."]


def test_a_number_as_a_comment_edit_is_400():
    author = UserFactory()
    comment = make_comment(article=ArticleFactory(), author=author)

    response = api(author).patch(f"/api/v1/comments/{comment.pk}/", {"body": 0}, format="json")

    assert response.status_code == 400


def test_like_answers_say_whether_the_reader_likes_it(schema):
    like = schema["paths"]["/api/v1/comments/{id}/like/"]
    for method in ("put", "delete"):
        ref = like[method]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        assert set(schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]) == {
            "id",
            "like_count",
            "liked",
        }


def test_comments_say_whether_the_reader_likes_them(schema):
    assert "liked" in schema["components"]["schemas"]["CommentOutput"]["properties"]
