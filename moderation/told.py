"""What the author of a held or refused comment is told (the checks name these; policy.py chooses)."""

# What the author of a held or refused comment is told: a plain category, never the word lists,
# the scores or which check fired.
HOLD_REVIEW = "possibly abusive language"
HOLD_SPAM = "advertising"
# Per kind of harm: what the author of a held comment is told, and of a refused one.
HOLD = {
    "threat": "threatening language",
    "harassment": "insulting or harassing language",
    "hate": "hateful language about a group of people",
    "sexual": "sexual harassment",
    "self-harm": "encouraging self-harm",
    "doxxing": "someone's personal information",
    "spam": HOLD_SPAM,
    "profanity": "abusive language",
}
HOLD_LINKS = "links from new accounts are checked by a moderator first"
HOLD_MANY_LINKS = "comments with several links are checked by a moderator first"
HOLD_ARTICLE = "comments on this article are checked by a moderator first"
HOLD_NEW = "first comments from new accounts are checked by a moderator first"
HOLD_ACCOUNT = "comments from your account are checked by a moderator first"
HOLD_UNVERIFIED = "comments from unconfirmed email addresses are checked by a moderator first"
REFUSED_LANGUAGE = "it breaks our rules on abusive language"
REFUSED = {
    "threat": "it breaks our rules on threats",
    "harassment": "it breaks our rules on harassment",
    "hate": "it breaks our rules on hateful language",
    "sexual": "it breaks our rules on sexual harassment",
    "self-harm": "it breaks our rules on encouraging self-harm",
    "doxxing": "it breaks our rules on personal information",
    "spam": "it breaks our rules on advertising",
    "profanity": REFUSED_LANGUAGE,
}
REFUSED_DUPLICATE = "you already posted the same comment"
REFUSED_BANNED = "your account may no longer comment"
REFUSED_SUSPENDED = "your account is suspended from commenting for now"
