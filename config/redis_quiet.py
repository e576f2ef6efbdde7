"""Which Redis servers this process saw fail under QUIET_SECONDS ago. The caches' client
(delivery/redis_client.py) and the Celery broker's transport (config/broker.py) share it: after one
connection error or timeout neither asks that server again for a moment."""

QUIET_SECONDS = 1.0
# Per process and per server, lost on restart by design: it only saves waiting, it decides nothing.
quiet_until: dict[tuple, float] = {}
