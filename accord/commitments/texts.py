"""Text in several languages, stored as ``{language code: text}``."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language


def localized(texts: dict[str, str] | None, language: str | None = None) -> str:
    """The text in the reader's language if there is one, else English, else any."""
    if not texts:
        return ""
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    for choice in (language, settings.LANGUAGE_CODE):
        if texts.get(choice):
            return texts[choice]
    return next((text for text in texts.values() if text), "")
