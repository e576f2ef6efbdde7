"""The site's URLs without the readers app's: the article address is articles' own view, which
builds every page from the database (tests/test_reader_pages.py compares the two)."""

from config.urls import urlpatterns as site

urlpatterns = [pattern for pattern in site if getattr(pattern, "app_name", None) != "readers"]
