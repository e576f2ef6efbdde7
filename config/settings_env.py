"""The environment the settings read (django-environ), shared by config/settings.py and its parts
(config/settings_*.py): no other module reads it.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; a missing file is ignored

# Off unless asked for (a deploy that forgets it shows no tracebacks); `make run` and tests turn it on.
DEBUG = env.bool("DEBUG", default=False)
