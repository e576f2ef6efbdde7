from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = "Print an API token for USERNAME, creating the user (no password) and its groups if missing."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--group", action="append", default=[], help="a group to put the user in")

    def handle(self, *args, username: str, group: list[str], **options):
        user, created = get_user_model().objects.get_or_create(username=username)
        if created:
            user.set_unusable_password()
            user.save()
        for name in group:
            user.groups.add(Group.objects.get_or_create(name=name)[0])
        token, _ = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
