from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    """How answers reach readers fast: the shared page cache and its WSGI fast path, the signed-in
    page's shared parts and each reader's kept state, sessions read through the cache, and the Redis
    clients behind them; and the one registry of changes that retires what they keep
    (delivery/changes.py), with which the apps above register their models.

    It reads only `config` below it; every app above may use it.
    """

    name = "delivery"
    verbose_name = "Delivery"
