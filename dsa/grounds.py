"""What a decision rests on, in the Transparency Database's terms: the clause of our guidelines
(or the law) each check, reject reason and notice category stands for, and the database's own
categories. The names of checks and reasons are moderation's; the words here are ours."""

from .models import Notice

# Categories of the Transparency Database (STATEMENT_CATEGORY_*), the ones comments can fall in.
SPEECH = "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH"
VIOLENCE = "STATEMENT_CATEGORY_VIOLENCE"
PRIVACY = "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS"
CIVIC_DISCOURSE = "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS"
SCOPE = "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE"
IP = "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS"
MINORS = "STATEMENT_CATEGORY_PROTECTION_OF_MINORS"
PUBLIC_SECURITY = "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY"
SCAMS = "STATEMENT_CATEGORY_SCAMS_AND_FRAUD"

# Each clause of the guidelines (by its code, the same in every version) and its category.
CLAUSE_CATEGORY = {
    "civility": SPEECH,
    "threats": VIOLENCE,
    "hate": SPEECH,
    "harassment": SPEECH,
    "privacy": PRIVACY,
    "misinformation": CIVIC_DISCOURSE,
    "on-topic": SCOPE,
    "spam": SCOPE,
    "law": SPEECH,
    "accounts": SCOPE,
    "general": SCOPE,
}
GENERAL = "general"

# The automated checks (moderation/checks.py, by name) and what a hold or refusal by each means.
CHECKS = {
    "banned_words": ("civility", "Our automated checks found abusive language in it."),
    "suspect_words": ("civility", "Our automated checks found possibly abusive language in it."),
    "severe_toxicity": ("civility", "Our automated checks found it severely abusive."),
    "toxicity": ("civility", "Our automated checks found abusive language in it."),
    "insult": ("civility", "Our automated checks found it insulting."),
    "threat": ("threats", "Our automated checks found threatening language in it."),
    "identity_attack": ("hate", "Our automated checks found hateful language about a group of people in it."),
    "threat_words": ("threats", "Our automated checks found a threatening phrasing in it."),
    "hate_words": ("hate", "Our automated checks found a hateful phrasing about a group of people in it."),
    "personal_data": ("privacy", "Our automated checks found someone's personal details in it."),
    "spam": ("spam", "Our automated checks found advertising in it."),
    "links": ("spam", "Our automated checks hold comments with many links, or links from new commenters."),
    "repeats": (
        "spam",
        "Our automated checks found it repeated: posted before, or by many accounts at once.",
    ),
    "author_standing": ("accounts", "Your account may not comment at the moment (a ban or a suspension)."),
}
# The kinds of harm the harm model and the detectors name (moderation/checks.py, HOLD): a check
# that names one is read by it, whichever check it was.
KINDS = {
    "threat": ("threats", "Our automated checks found threatening language in it."),
    "harassment": ("harassment", "Our automated checks found it harassing a person."),
    "hate": ("hate", "Our automated checks found hateful language about a group of people in it."),
    "sexual": ("harassment", "Our automated checks found sexual harassment in it."),
    "self-harm": ("civility", "Our automated checks found it encouraging self-harm."),
    "doxxing": ("privacy", "Our automated checks found someone's personal details in it."),
    "spam": ("spam", "Our automated checks found advertising in it."),
    "profanity": ("civility", "Our automated checks found abusive language in it."),
}
UNKNOWN_CHECK = (GENERAL, "Our automated checks found that it breaks our community guidelines.")

# A moderator's reject reasons (moderation.services.REJECT_REASONS) and reader flag reasons.
REASONS = {
    "spam": "spam",
    "abuse": "civility",
    "harassment": "harassment",
    "off_topic": "on-topic",
    "misinformation": "misinformation",
    "personal_data": "privacy",
    "other": GENERAL,
}
ILLEGAL = "illegal"  # the reject reason for a notice upheld: the law, not the guidelines

# What each category of notice alleges: the legal ground a removal on it cites, and its category.
LEGAL_GROUNDS = {
    Notice.Category.ILLEGAL_HATE_SPEECH: (
        "Public incitement to violence or hatred (Council Framework Decision 2008/913/JHA and the "
        "national criminal law transposing it)",
        SPEECH,
    ),
    Notice.Category.TERRORIST_CONTENT: (
        "Terrorist content (Regulation (EU) 2021/784; Directive (EU) 2017/541)",
        PUBLIC_SECURITY,
    ),
    Notice.Category.DEFAMATION: ("Defamation under national civil and criminal law", SPEECH),
    Notice.Category.PRIVACY_VIOLATION: (
        "Unlawful disclosure of personal data (Regulation (EU) 2016/679, GDPR; national privacy law)",
        PRIVACY,
    ),
    Notice.Category.INTELLECTUAL_PROPERTY: (
        "Copyright infringement (Directive 2001/29/EC, Directive (EU) 2019/790 and national law)",
        IP,
    ),
    Notice.Category.CHILD_SAFETY: (
        "Sexual abuse and exploitation of children (Directive 2011/93/EU and national criminal law)",
        MINORS,
    ),
    Notice.Category.SCAM_OR_FRAUD: (
        "Fraud and unfair commercial practices (Directive 2005/29/EC and national criminal law)",
        SCAMS,
    ),
    Notice.Category.OTHER: ("National law of the Member State concerned, as set out in the notice", SPEECH),
}
NO_NOTICE_LEGAL_GROUND = "Illegal under the law of the Member State where the comment was published"

# Every restriction applies wherever the site is read: the whole European Economic Area.
TERRITORIAL_SCOPE = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IS",
    "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK",
]  # fmt: skip

# The statement's fields as the Transparency Database's API (v1, "Creating a Statement") names
# them, in its order: the export writes exactly these columns (tests/dsa/test_export.py).
# https://transparency.dsa.ec.europa.eu/page/api-documentation
TDB_FIELDS = [
    "decision_visibility",
    "decision_visibility_other",
    "end_date_visibility_restriction",
    "decision_monetary",
    "decision_monetary_other",
    "end_date_monetary_restriction",
    "decision_provision",
    "end_date_service_restriction",
    "decision_account",
    "end_date_account_restriction",
    "account_type",
    "decision_ground",
    "decision_ground_reference_url",
    "illegal_content_legal_ground",
    "illegal_content_explanation",
    "incompatible_content_ground",
    "incompatible_content_explanation",
    "incompatible_content_illegal",
    "category",
    "category_addition",
    "category_specification",
    "category_specification_other",
    "content_type",
    "content_type_other",
    "content_language",
    "content_date",
    "territorial_scope",
    "application_date",
    "decision_facts",
    "source_type",
    "source_identity",
    "automated_detection",
    "automated_decision",
    "puid",
]
