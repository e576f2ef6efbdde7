"""The dashboard's figures: queue state now, over the last 24 hours and 7 days."""


def dashboard() -> dict:
    return {}
