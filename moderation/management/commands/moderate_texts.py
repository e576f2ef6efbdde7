import json
import sys

from django.core.management.base import BaseCommand, CommandError

from moderation.services import evaluate_texts

BATCH = 1000


class Command(BaseCommand):
    help = (
        "Run texts (JSON lines with a `text` field, or - for stdin) through the moderation checks "
        "and policy, writing nothing; prints one JSON decision per input line, in order."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        try:
            stream = sys.stdin if file == "-" else open(file, encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from None
        bad = 0
        with stream:
            batch: list[tuple[int, str | None, str]] = []
            for number, line in enumerate(stream, start=1):
                try:
                    text = json.loads(line)["text"]
                    if not isinstance(text, str):
                        raise TypeError
                    batch.append((number, text, ""))
                except (ValueError, KeyError, TypeError):
                    batch.append((number, None, f"line {number}: not a JSON object with a string `text`"))
                    bad += 1
                if len(batch) >= BATCH:
                    self._flush(batch)
                    batch = []
            self._flush(batch)
        if bad:
            raise CommandError(f"{bad} line(s) could not be read (reported in place as errors)")

    def _flush(self, batch) -> None:
        decisions = iter(evaluate_texts([text for _, text, _ in batch if text is not None]))
        out = self.stdout
        for _, text, error in batch:
            out.write(json.dumps({"error": error}) if text is None else json.dumps(next(decisions).as_dict()))
