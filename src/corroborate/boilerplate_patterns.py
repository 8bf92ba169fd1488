"""Tunable data for the boilerplate classifier, kept apart from its logic (clean.py).

Each entry is (reason, pattern). Patterns are matched case-insensitively against one stripped line.
CHROME patterns only apply to lines of at most ``CHROME_MAX_WORDS`` words, so that a real paragraph
that happens to mention a newsletter or a photo is never dropped.
"""

from __future__ import annotations

import re

CHROME_MAX_WORDS = 25

_CHROME = [
    ("call to action", r"^(also read|read also|read more|read next|see also|don'?t miss|must read"
                       r"|recommended|related( (stories|articles|news|reading))?|trending( now)?"
                       r"|more from|most (read|popular|viewed)|watch|listen|top stories|"
                       r"editor'?s picks?)\b\s*[:|›»–—-]"),
    ("call to action", r"^(also read|read more|see also|related (stories|articles|news)|most read"
                       r"|most popular|top stories|more stories|trending now|you may also like"
                       r"|recommended for you)\s*$"),
    ("call to action", r"^click here\b|^tap here\b|^follow us\b|^like us on\b|^download (our|the) app"),
    ("newsletter", r"\b(sign up|signup|subscribe|register)\b.*\b(newsletter|updates|inbox|alerts)\b"),
    ("newsletter", r"\bnewsletters?\b.*\b(sign up|subscribe|inbox|delivered)\b"),
    ("newsletter", r"^(subscribe|sign up|get our newsletter|join our newsletter)\b"),
    ("comment form", r"^leave a (reply|comment)\b|^post (a )?comment\b|^cancel reply$"),
    ("comment form", r"your email address will not be published|required fields are marked"),
    ("comment form", r"^(\d+\s+)?(comments?|responses?|replies)\s*(\(\d+\))?$"),
    ("comment form", r"^(name|email|e-mail|website|comment)\s*\*?\s*$"),
    ("comment form", r"^save my name, email"),
    ("share bar", r"^(share|tweet|email|print|copy link|whatsapp|facebook|twitter|x|linkedin)"
                  r"(\s*[|/·•]\s*\w+)*\s*$"),
    ("share bar", r"^share (this|on|via|article|story)\b"),
    ("caption", r"^(photo|image|picture|file photo|credit|caption|video|graphic|illustration)"
                r"\s*(:|\||\(|by\b)"),
    ("caption", r"\((reuters|ap|afp|getty images|ap photo|file|shutterstock)[^)]*\)\s*$"),
    ("legal", r"©|\bcopyright\b|\ball rights reserved\b"),
    ("legal", r"\bcookies?\b.*\b(accept|consent|policy|use)\b|\bprivacy policy\b|\bterms of (use|service)\b"),
    ("advertisement", r"^(advertisement|advertising|sponsored( content)?|ad|promoted|skip ad)$"),
    ("tags", r"^(tags?|topics?|filed under|posted in|categories|category)\s*:"),
    ("byline", r"^by\s+(?-i:[A-Z][\w.'’-]*(\s+(and\s+)?[A-Z][\w.'’-]*){0,5})\s*(\|.*)?$"),
    ("byline", r"^(published|updated|posted|last updated|source|outlet)\s*:"),
    ("byline", r"^[^|]{2,60}(\|[^|]{2,60}){1,3}$"),
]

CHROME = [(reason, re.compile(pattern, re.I)) for reason, pattern in _CHROME]

# Words that stay lower case in Title Case headlines.
SMALL_WORDS = frozenset(
    "a an and as at but by for from in into nor of on onto or over per the to up via vs with amid "
    "after before than that over under".split())

# What may close a sentence after its final stop: quotes of every convention (English ”’, German
# “‘ and »«, French » «, CJK 」』), brackets, and the space French puts before a closing ».
_CLOSERS = """"'”’“‘»«›‹)\\]）】」』〉》"""
# Sentence ends: Western and full-width CJK stops (。！？), then any closers; or a stop and a
# closing quote followed by a short attribution.
SENTENCE_END = re.compile(rf"""[.!?…:;。！？；：｡．][{_CLOSERS}\s]*$|[.!?。！？][{_CLOSERS}]\s*\S{{0,40}}$""")
