"""The corrections' part of the article page: notices, the report dialog, and the JSON-LD.

The page belongs to `articles`, which cannot import this app; its template loads these tags (as it
loads `comment_tags` for the thread).
"""

from django import template
from django.utils.safestring import mark_safe

from articles.models import Article

from ..forms import CorrectionReportForm
from ..models import CorrectionNotice
from ..selectors import correction_notices_for, json_ld_with

register = template.Library()


def _notices(article: Article) -> list[CorrectionNotice]:
    # Read once per page: both the JSON-LD and the notices section need them.
    if not hasattr(article, "_correction_notices"):
        article._correction_notices = correction_notices_for(article)
    return article._correction_notices


@register.simple_tag(takes_context=True)
def article_json_ld(context, article: Article) -> str:
    """The page's NewsArticle JSON-LD with its corrections, safe inside a <script> element."""
    request = context["request"]
    url = request.build_absolute_uri(article.get_absolute_url())
    json_ld = json_ld_with(article, _notices(article), url=url)
    return mark_safe(json_ld)  # noqa: S308 (news_article_json_ld escapes what could end the element)


@register.inclusion_tag("corrections/_notices.html")
def correction_notices(article: Article) -> dict:
    return {"correction_notices": _notices(article)}


@register.inclusion_tag("corrections/_dialog.html", takes_context=True)
def correction_dialog(context, article: Article) -> dict:
    return {
        "article": article,
        "user": context.get("user"),
        "csrf_token": context.get("csrf_token"),
        "correction_form": CorrectionReportForm(auto_id="cd-%s"),
    }
