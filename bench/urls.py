import os
from pathlib import Path

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns

# The comments API's own answer, captured once before the run: the baseline serves the same
# bytes with none of the work.
_PAYLOAD = Path(os.environ["BENCH_PAYLOAD"]).read_bytes()


def bare(request):
    return HttpResponse(_PAYLOAD, content_type="application/json")


urlpatterns = [path("bench/bare/", bare), *site_urlpatterns]
