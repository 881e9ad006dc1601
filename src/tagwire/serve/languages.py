"""A story's reports grouped by language, for its page, when they are in more than one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, Protocol, TypeVar

#: Languages by their code, as a heading names them (others by their code).
NAMES: Final = {
    "en": "English",
    "ja": "Japanese · 日本語",
    "de": "German · Deutsch",
    "fr": "French · Français",
    "es": "Spanish · Español",
    "it": "Italian · Italiano",
    "pt": "Portuguese · Português",
    "pl": "Polish · Polski",
    "nl": "Dutch · Nederlands",
    "zh": "Chinese · 中文",
    "ko": "Korean · 한국어",
    "ru": "Russian · Русский",
    "uk": "Ukrainian · Українська",
    "ar": "Arabic · العربية",
}


class HasLanguage(Protocol):
    @property
    def language(self) -> str | None: ...


class Reported(Protocol):
    @property
    def article(self) -> HasLanguage: ...


R = TypeVar("R", bound=Reported)


def name(code: str | None) -> str:
    return NAMES.get(code or "", code or "Language not known")


def by_language(reports: Sequence[R]) -> list[tuple[str, list[R]]]:
    """(language heading, its reports) in the order of each language's first report; empty when
    all reports are in one language (the page lists them as ever)."""
    groups: dict[str | None, list[R]] = {}
    for r in reports:
        groups.setdefault(r.article.language, []).append(r)
    return [(name(code), found) for code, found in groups.items()] if len(groups) > 1 else []
