import json

import pytest
from django.contrib.auth.models import Permission

from moderation.models import ModerationSettings, WordListEntry
from moderation.training import KINDS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TRY = "/admin/moderation/wordlistentry/try/"


def test_try_a_text_shows_the_same_output_as_the_command(admin_client):
    response = admin_client.post(TRY, {"text": "f.u.c.k you"})

    page = response.content.decode()
    assert response.status_code == 200
    assert '<span id="decision">reject</span>' in page
    assert "it breaks our rules on abusive language" in page
    output = json.loads(response.context["output"])
    assert output["decision"] == "reject"
    assert [c["name"] for c in output["checks"]][:3] == [
        "author_standing",
        "article_premoderation",
        "banned_words",
    ]


def test_try_a_text_shows_the_kind_and_the_score_per_kind_of_harm(admin_client):
    response = admin_client.post(TRY, {"text": "I will find you."})

    page = response.content.decode()
    assert '<table id="scores">' in page
    assert '<strong id="kind">threat</strong>' in page
    for kind in KINDS:
        assert f"<td>{kind}</td>" in page
    assert "The author would be told: “threatening language”" in page


def test_try_a_text_shows_the_form_first(admin_client):
    response = admin_client.get(TRY)

    assert response.status_code == 200
    assert 'name="text"' in response.content.decode()


def test_try_a_text_writes_nothing(admin_client):
    admin_client.post(TRY, {"text": "Thanks for the reporting."})

    assert not ModerationSettings.objects.exists()


def test_try_a_text_shows_reader_text_as_text(admin_client):
    response = admin_client.post(TRY, {"text": "<script>alert(1)</script>"})

    assert "<script>alert(1)</script>" not in response.content.decode()


def test_try_a_text_is_refused_to_staff_without_permission(client):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(TRY).status_code == 403


def test_try_a_text_is_open_to_staff_who_may_view_word_lists(client):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_wordlistentry"))
    client.force_login(user)

    assert client.post(TRY, {"text": "Fine."}).status_code == 200


def test_try_a_text_sends_anonymous_visitors_to_the_login(client):
    assert client.get(TRY).status_code == 302


def test_word_list_changelist_links_to_try_a_text(admin_client):
    assert TRY in admin_client.get("/admin/moderation/wordlistentry/").content.decode()


def test_word_list_search_finds_a_phrase(admin_client):
    response = admin_client.get("/admin/moderation/wordlistentry/", {"q": "idiot"})

    assert [e.phrase for e in response.context["cl"].result_list] == ["idiot"]


def test_bulk_deactivate_and_activate(admin_client):
    ids = list(WordListEntry.objects.filter(phrase__in=["idiot", "moron"]).values_list("pk", flat=True))

    admin_client.post("/admin/moderation/wordlistentry/", {"action": "deactivate", "_selected_action": ids})
    assert not WordListEntry.objects.filter(pk__in=ids, is_active=True).exists()

    admin_client.post("/admin/moderation/wordlistentry/", {"action": "activate", "_selected_action": ids})
    assert WordListEntry.objects.filter(pk__in=ids, is_active=True).count() == 2


def test_a_phrase_without_latin_letters_is_refused(admin_client):
    response = admin_client.post(
        "/admin/moderation/wordlistentry/add/", {"phrase": "***", "kind": "banned", "is_active": "on"}
    )

    assert "Use Latin letters" in response.content.decode()
    assert not WordListEntry.objects.filter(phrase="***").exists()


def test_settings_page_starts_from_the_environment_defaults(admin_client, settings):
    settings.MODERATION_TOXICITY_REVIEW = 0.75

    response = admin_client.get("/admin/moderation/moderationsettings/", follow=True)

    assert response.context["adminform"].form["toxicity_review_threshold"].value() == 0.75


def test_settings_are_saved_as_the_single_row(admin_client):
    data = {
        "toxicity_review_threshold": 0.7, "toxicity_reject_threshold": 0.9, "flags_to_report": 3,
        "flags_to_withhold": 6, "max_links": 4, "links_min_approved": 3, "duplicate_window_hours": 24,
        "wave_accounts": 3, "wave_window_minutes": 10, "sweep_after_seconds": 60,
    }  # fmt: skip

    admin_client.post("/admin/moderation/moderationsettings/add/", data)

    assert ModerationSettings.load().max_links == 4
    assert admin_client.get("/admin/moderation/moderationsettings/").url.endswith(
        "/moderationsettings/1/change/"
    )


def test_settings_refuse_a_review_threshold_above_the_reject_threshold(admin_client):
    data = {
        "toxicity_review_threshold": 0.99, "toxicity_reject_threshold": 0.9, "flags_to_report": 3,
        "flags_to_withhold": 6, "max_links": 2, "links_min_approved": 3, "duplicate_window_hours": 24,
        "wave_accounts": 3, "wave_window_minutes": 10, "sweep_after_seconds": 60,
    }  # fmt: skip

    response = admin_client.post("/admin/moderation/moderationsettings/add/", data)

    assert "must not be above the reject threshold" in response.content.decode()
    assert not ModerationSettings.objects.exists()
