import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_wsgi_application()

from delivery.fast_path import fast_path  # noqa: E402 - needs the settings configured above

application = fast_path(django_application)
