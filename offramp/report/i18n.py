"""Translations for the reports people read (terminal, Markdown, HTML): English by default, zh-TW on request.

Renderers call ``_`` and ``ngettext`` from here for their own words, and ``say`` for the assessment's
sentences (reasons, estimates, waivers), which assess writes in English with their message ids kept
(``offramp.assess.reason``); the language is chosen once per report with ``language()``, so the same renderer
code serves every language. Machine formats (JSON, SARIF, CycloneDX) stay English: they use the sentences as
the English strings they are. One catalogue holds the report's words, the assessment's sentences and the
text of the data files: ``offramp/report/locale/<lang>/LC_MESSAGES/offramp.po`` (Babel: see babel.cfg).
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

DOMAIN = "offramp"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("en", "zh-TW")
"""What ``--lang`` accepts; English needs no catalogue."""
_ENVIRONMENT = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_ENGLISH = gettext.NullTranslations()


class MissingCatalogue(Exception):
    """The compiled messages of a supported language are not installed."""


_active: ContextVar[gettext.NullTranslations | None] = ContextVar("offramp_translations", default=None)


def _(message: str) -> str:
    return (_active.get() or _ENGLISH).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return (_active.get() or _ENGLISH).ngettext(singular, plural, count)


def say(text: str) -> str:
    """An assessment sentence in the active language; any other text (a file name, an id, the user's own words)
    as it is."""
    from offramp.assess.reason import Reason  # here: `offramp --help` must not load the assessment

    return text.translated(_) if isinstance(text, Reason) else text


def resolve_language(requested: str | None, environ: Mapping[str, str] | None = None) -> str:
    """``--lang`` if given, else the first supported language of LANGUAGE, LC_ALL, LC_MESSAGES or LANG."""
    if requested:
        return _supported(requested) or "en"
    environ = os.environ if environ is None else environ
    for variable in _ENVIRONMENT:
        for candidate in environ.get(variable, "").split(":"):
            if supported := _supported(candidate):
                return supported
        if environ.get(variable):  # the first variable that is set decides, as gettext does
            break
    return "en"


def _supported(tag: str) -> str | None:
    """'zh_TW.UTF-8', 'zh-tw', 'zh_Hant_TW' -> 'zh-TW'; 'en_US' -> 'en'; anything else -> None."""
    base = tag.split(".")[0].split("@")[0].replace("_", "-").lower()
    if base in ("zh-tw", "zh-hant", "zh-hant-tw"):
        return "zh-TW"
    if base == "en" or base.startswith("en-"):
        return "en"
    return None


def translations(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    try:
        return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang.replace("-", "_")])
    except FileNotFoundError:
        raise MissingCatalogue(f"the {lang} message catalogue is missing from {LOCALE_DIR}: reinstall offramp, "
                               "or use --lang en") from None


@contextmanager
def language(lang: str) -> Iterator[None]:
    """Render in ``lang`` ('en' or 'zh-TW') inside the block."""
    token = _active.set(translations(lang))
    try:
        yield
    finally:
        _active.reset(token)
