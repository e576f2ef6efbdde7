from django.db import migrations

# A short English starter list; admins extend it in Django admin.
BANNED = [
    "fuck", "fucking", "motherfucker", "cunt", "nigger", "faggot", "retard", "kike", "spic",
    "chink", "wetback", "tranny", "kill yourself", "kys",
]  # fmt: skip
SUSPECT = [
    "shit", "bitch", "bastard", "asshole", "dickhead", "idiot", "moron", "scum", "traitor",
    "stupid", "crook", "liar", "buy now", "click here", "free money", "work from home",
]  # fmt: skip


def fill_word_lists(apps, schema_editor):
    Entry = apps.get_model("moderation", "WordListEntry")
    for kind, phrases in [("banned", BANNED), ("suspect", SUSPECT)]:
        for phrase in phrases:
            Entry.objects.get_or_create(phrase=phrase, defaults={"kind": kind, "note": "starter list"})


def remove_word_lists(apps, schema_editor):
    apps.get_model("moderation", "WordListEntry").objects.filter(note="starter list").delete()


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_initial")]

    operations = [migrations.RunPython(fill_word_lists, remove_word_lists)]
