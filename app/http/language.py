"""The page's language from what a request carries: `lang=`, Accept-Language, a platform's
locale. Read as static/js/text/language.js reads them (`languageFor`, `detectLanguage`), so
that what the server writes before the page's script runs (<html lang>, an LTI page, an
oEmbed title) is what the script then decides."""

from __future__ import annotations

import math
import re

LANGUAGES = ("en", "zh-TW")
DEFAULT_LANGUAGE = "en"
# <html lang> for each: the Traditional script is the page's Chinese.
HTML_LANG = {"en": "en", "zh-TW": "zh-Hant-TW"}


def language_for(tag: object) -> str | None:
    """The page's language for a BCP 47 tag, case-insensitively, or None: en and en-* → en;
    zh, zh-TW, zh-Hant, zh-HK, … → zh-TW (no Simplified table; Traditional reads better to a
    Chinese reader than English)."""
    if not isinstance(tag, str):
        return None
    primary = re.split(r"[-_]", tag.strip().lower())[0]
    return "en" if primary == "en" else "zh-TW" if primary == "zh" else None


def accepted(accept_language: str | None) -> list[str]:
    """Accept-Language's tags, most wanted first (by q, then as sent); q=0 means not."""
    ranked = []
    for i, part in enumerate((accept_language or "").split(",")):
        tag, *params = part.split(";")
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if tag.strip() and math.isfinite(q) and q > 0:
            ranked.append((-q, i, tag.strip()))
    return [tag for _, _, tag in sorted(ranked)]


def detect_language(lang: str | None = None, accept_language: str | None = None) -> str:
    """`lang=` when it names a language we have, else the first of Accept-Language's that
    we have, else English."""
    for tag in [lang, *accepted(accept_language)]:
        code = language_for(tag)
        if code is not None:
            return code
    return DEFAULT_LANGUAGE
