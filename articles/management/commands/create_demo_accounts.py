import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

# username -> (description, groups, is_staff, is_superuser)
ACCOUNTS = {
    "reader": ("commenter", [], False, False),
    "moderator": ("moderator (group Moderators)", ["Moderators"], False, False),
    "desk": ("corrections desk editor (staff, group Corrections desk)", ["Corrections desk"], True, False),
    "admin": ("site admin (superuser)", [], True, True),
}


class Command(BaseCommand):
    help = "Create the quick-start demo accounts (only while DEBUG is on) and print how to log in."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo accounts are for the local quick start only; DEBUG is off.")
        # One password per install, kept beside the SQLite file so every `make run` prints the same.
        secret = settings.BASE_DIR / ".demo-password"
        if not secret.exists():
            secret.write_text(secrets.token_urlsafe(12) + "\n")
            secret.chmod(0o600)
        password = secret.read_text().strip()
        User = get_user_model()
        self.stdout.write(f"Demo accounts (password for all: {password}):")
        for username, (description, groups, is_staff, is_superuser) in ACCOUNTS.items():
            user, _ = User.objects.get_or_create(
                username=username, defaults={"email": f"{username}@example.com"}
            )
            user.is_staff, user.is_superuser = is_staff, is_superuser
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get_or_create(name=name)[0] for name in groups])
            self.stdout.write(f"  {username:<10} {description}")
