from django import template

from articles.models import SiteSettings
from comments import selectors
from comments.forms import CommentForm, FlagForm

register = template.Library()


@register.inclusion_tag("comments/section.html", takes_context=True)
def comment_section(context, article):
    request = context["request"]
    sort = request.GET.get("sort", "oldest")
    if sort not in selectors.SORTS:
        sort = "oldest"
    try:
        page = selectors.thread_page(
            article, sort=sort, cursor=request.GET.get("cursor"), viewer=request.user
        )
    except selectors.BadCursor:
        page = selectors.thread_page(article, sort=sort, viewer=request.user)
    site = SiteSettings.load()
    return {
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
        "article": article,
        "page": page,
        "sort": sort,
        "sorts": [("oldest", "Oldest"), ("newest", "Newest"), ("top", "Most liked")],
        "accepts_comments": article.accepts_comments(close_after_days=site.comments_close_after_days),
        "form": CommentForm(),
        "flag_form": FlagForm(),
    }
