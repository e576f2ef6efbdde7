from pathlib import Path

from django.core.management.base import BaseCommand

from moderation import classifier
from moderation.services.training import build_shipped_model, retrain_model


class Command(BaseCommand):
    help = (
        "Build the harm model from the team's training set (moderation/training/), reproducibly, into "
        "moderation/model/harm.npz (or --output). With --retrain, add every moderator decision on a "
        "held or reported comment, score the candidate on the frozen test split and on the newest "
        "decisions, and replace the model in use (MODERATION_MODEL_PATH) only when it is no worse on either."
    )

    def add_arguments(self, parser):
        parser.add_argument("--retrain", action="store_true", help="learn from moderators' decisions too")
        parser.add_argument("--output", type=Path, help="where to write the model file")

    def handle(self, *args, retrain: bool, output: Path | None, **options):
        if retrain:
            outcome = retrain_model(output=output)
            self.stdout.write(outcome.summary())
            return
        version = build_shipped_model(output or classifier.SHIPPED)
        self.stdout.write(f"wrote {output or classifier.SHIPPED} ({version})")
