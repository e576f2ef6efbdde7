"""Feature / Unfeature in the moderator toolbar under a comment on the article page."""

from django.http import Http404, HttpRequest, HttpResponse

from comments import featuring
from comments.models import Comment

from .actions import _done, _failed
from .permissions import moderator_post


@moderator_post
def comment_featured(request: HttpRequest, pk: int) -> HttpResponse:
    """POST `featured=1` features the comment, `featured=0` stops; back to it on the page."""
    comment = Comment.objects.select_related("article").filter(pk=pk).first()
    if comment is None:
        raise Http404("No such comment.")
    back = comment.get_absolute_url()
    wanted = request.POST.get("featured")
    if wanted not in {"0", "1"}:
        return _failed(request, "Say featured=1 or featured=0.", 400, back, answers_json=True)
    if wanted == "0":
        featuring.unfeature(comment_id=pk, by=request.user)
        return _done(request, "The comment is no longer featured.", back, {"featured": False})
    try:
        featuring.feature(comment_id=pk, by=request.user)
    except featuring.NotFeaturable as error:
        return _failed(request, str(error), 400, back, answers_json=True)
    return _done(request, "Featured the comment as an editors' pick.", back, {"featured": True})
