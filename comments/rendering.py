import re

from django.utils.html import urlize
from django.utils.safestring import SafeString

_PARAGRAPHS = re.compile(r"\n\s*\n")


def render_body(text: str) -> str:
    """Reader text as safe HTML: everything escaped, paragraphs kept, URLs made inert links.

    urlize escapes every character that is not part of a URL, so a reader's own quotes are
    &quot; in the output and the only rel attributes left are the ones urlize wrote.
    """
    paragraphs = []
    for part in _PARAGRAPHS.split(text.replace("\r\n", "\n").strip()):
        html = urlize(part.strip(), trim_url_limit=60, nofollow=True, autoescape=True)
        html = html.replace(' rel="nofollow"', ' rel="nofollow ugc noopener"')
        paragraphs.append("<p>" + html.replace("\n", "<br>") + "</p>")
    return SafeString("".join(paragraphs))
