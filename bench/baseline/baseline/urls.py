"""The minimal baseline's addresses: startproject's admin, and two views returning the bytes the
site answered (captured by bench/delivery.py before this project starts), with none of the work."""

import os
from pathlib import Path

from django.contrib import admin
from django.http import HttpResponse
from django.urls import path

_DIR = Path(os.environ.get("BENCH_PAYLOAD_DIR", "."))
_PAGE = (_DIR / "page.html").read_bytes()
_API = (_DIR / "api.json").read_bytes()


def page(request):
    return HttpResponse(_PAGE, content_type="text/html; charset=utf-8")


def api(request):
    return HttpResponse(_API, content_type="application/json")


urlpatterns = [
    path("admin/", admin.site.urls),
    path("page/", page),
    path("api/", api),
]
