"""The assessment's sentences: English text that can still be said in the reader's language.

Every reason, estimate and summary the assessment writes is a :class:`Reason`: a ``str`` holding the English
text, which is what the machine-readable reports (JSON, SARIF, CycloneDX) and baselines carry, so they read the
same whatever the reader's language. It also keeps its message id and parameters, so that the reports people
read translate it when they render it (``offramp.report.i18n.say``), in the language chosen for that report.

Messages are marked with :func:`N_`, gettext's name for deferred translation, so ``pybabel extract`` finds
them with its default keywords; their parameters are named (``{provider}``) so that a translation can reorder
them. Text from the data files (lock-in and criticality rules) is a parameterless :class:`Reason` whose message
id is the text itself; babel.cfg extracts it from the TOML files.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import reduce

Param = str | int | float
"""A parameter of a message: a value shown as is (an id, a count), or a nested Reason."""


class Reason(str):
    """English text plus the message id and named parameters it was made from."""

    message: str
    params: dict[str, Param]

    def __new__(cls, message: str, /, **params: Param) -> Reason:
        reason = super().__new__(cls, _fill(message, params, None))
        reason.message = message
        reason.params = params
        return reason

    def translated(self, gettext: Callable[[str], str]) -> str:
        """The text in the language of ``gettext``, nested reasons included; English when it has no entry."""
        return _fill(gettext(self.message), self.params, gettext)


def N_(message: str, /, **params: Param) -> Reason:
    """Mark ``message`` for the catalogue; it is translated when a report says it, not now.

    ``N_`` is gettext's conventional name for deferred translation, one of ``pybabel extract``'s default keywords.
    """
    return Reason(message, **params)


def joined(reasons: list[Reason]) -> Reason:
    """'a; b; c', each part still translatable (the separator is punctuation that languages write differently)."""
    return reduce(lambda earlier, later: N_("{earlier}; {later}", earlier=earlier, later=later), reasons)


def _fill(message: str, params: dict[str, Param], gettext: Callable[[str], str] | None) -> str:
    if not params:  # data text is its own message id and may contain braces
        return message
    return message.format_map({name: value.translated(gettext) if gettext and isinstance(value, Reason) else value
                               for name, value in params.items()})
