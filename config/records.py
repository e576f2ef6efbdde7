"""Rows that are a record: written once, never edited or deleted (audit trails, status history)."""


class AppendOnly:
    """Mixin for a model whose rows are a record; `records` names them in the error."""

    records = "Records"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError(f"{self.records} are never edited.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(f"{self.records} are never deleted.")
