import json
import sys
from itertools import islice

from django.core.management.base import BaseCommand, CommandError

from moderation.policy import BATCH_SIZE, current_rules, evaluate_texts


class Command(BaseCommand):
    help = (
        "Run texts through the moderation normalization, checks and policy as comments by an "
        "established commenter in good standing on an article without pre-moderation. FILE holds "
        "JSON lines with a string `text` field (other fields are ignored); - reads stdin. Prints "
        "one JSON line per input line, in order: the decision and every check. Writes nothing. A "
        "line that cannot be read (not UTF-8, not JSON, no string `text`) prints "
        '{"line": N, "error": "..."} in its place, and the command then exits with status 1.'
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a JSON lines file, or - for stdin")

    def handle(self, *args, file: str, **options):
        try:
            stream = sys.stdin.buffer if file == "-" else open(file, "rb")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from None
        rules = current_rules()
        bad = total = 0
        with stream:
            numbered = enumerate(stream, start=1)
            # A batch at a time, so output starts at once and memory stays flat on a huge file.
            while batch := [(number, *_parse(raw)) for number, raw in islice(numbered, BATCH_SIZE)]:
                decisions = evaluate_texts((text for _, text, _ in batch if text is not None), rules=rules)
                for number, text, error in batch:
                    if text is None:
                        bad += 1
                        self.stdout.write(json.dumps({"line": number, "error": error}))
                    else:
                        self.stdout.write(json.dumps(next(decisions).as_dict(), ensure_ascii=False))
                total += len(batch)
        if bad:
            raise CommandError(f"{bad} of {total} line(s) could not be read; each is reported in its place")


def _parse(raw: bytes) -> tuple[str | None, str]:
    try:
        record = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return None, "not UTF-8"
    except ValueError:
        return None, "not valid JSON"
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        return None, "not a JSON object with a string `text` field"
    return record["text"], ""
