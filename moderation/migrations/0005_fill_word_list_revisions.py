from django.db import migrations

# Words with an innocent everyday sense ("a chink in the armour", "retard the spread") are held
# for review rather than rejected; plain criticism of public figures ("liar", "crook",
# "traitor", "stupid") is left to the toxicity classifier, kept in the list but inactive so an
# admin can turn it on. Only starter entries no admin has touched are changed.
TO_SUSPECT = ["chink", "retard", "spic", "tranny"]
TO_INACTIVE = ["liar", "crook", "traitor", "stupid"]
MORE_BANNED = ["fucker", "motherfucking", "cocksucker", "fag", "go die"]
MORE_SUSPECT = [
    "dumbass", "piss off", "shut up", "whore", "slut", "scumbag", "pathetic loser",
    "dm me", "whatsapp me", "telegram me", "earn money", "crypto giveaway", "limited offer",
]  # fmt: skip
STARTER = "starter list"
ADDED = "starter list (revision 1)"


def fill_word_list_revisions(apps, schema_editor):
    Entry = apps.get_model("moderation", "WordListEntry")
    Entry.objects.filter(phrase__in=TO_SUSPECT, kind="banned", note=STARTER).update(kind="suspect")
    Entry.objects.filter(phrase__in=TO_INACTIVE, is_active=True, note=STARTER).update(is_active=False)
    for kind, phrases in [("banned", MORE_BANNED), ("suspect", MORE_SUSPECT)]:
        for phrase in phrases:
            Entry.objects.get_or_create(phrase=phrase, defaults={"kind": kind, "note": ADDED})


def remove_word_list_revisions(apps, schema_editor):
    Entry = apps.get_model("moderation", "WordListEntry")
    Entry.objects.filter(note=ADDED).delete()
    Entry.objects.filter(phrase__in=TO_INACTIVE, is_active=False, note=STARTER).update(is_active=True)
    Entry.objects.filter(phrase__in=TO_SUSPECT, kind="suspect", note=STARTER).update(kind="banned")


class Migration(migrations.Migration):
    dependencies = [("moderation", "0004_add_word_list_constraints")]

    operations = [migrations.RunPython(fill_word_list_revisions, remove_word_list_revisions)]
