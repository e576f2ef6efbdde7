"""The moderator's pages under /moderation/."""

app_name = "moderation"

urlpatterns: list = []
