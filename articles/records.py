"""Rows that are a record: written once, never edited or deleted (audit trails, status history).

Used by comments' audit records and correction reports' status changes; it sits here, in the app
both of them already build on, because they stand side by side and may not import each other.
"""


class AppendOnly:
    """Mixin for a model whose rows are a record; `records` names them in the error."""

    records = "Records"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError(f"{self.records} are never edited.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(f"{self.records} are never deleted.")
