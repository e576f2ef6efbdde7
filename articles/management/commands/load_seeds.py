from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.seeds import SeedError, load_seeds


class Command(BaseCommand):
    help = "Load the seed articles from seeds/articles/*.toml (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=settings.BASE_DIR / "seeds" / "articles")

    def handle(self, *args, dir: Path, **options):
        try:
            report = load_seeds(dir)
        except SeedError as exc:
            raise CommandError(str(exc)) from None
        if not report.created and not report.updated:
            self.stdout.write(
                f"Seeds already loaded: nothing changed ({len(report.unchanged)} articles up to date)."
            )
            return
        for label, slugs in [("created", report.created), ("updated", report.updated)]:
            for slug in slugs:
                self.stdout.write(f"{label}: {slug}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeds loaded: {len(report.created)} created, {len(report.updated)} updated, "
                f"{len(report.unchanged)} unchanged."
            )
        )
