"""Strings composed from parts, for every language: ``fmt.Sprintf``/``String.format``-style templates and
URL joins become :class:`~offramp.scan.values.Concat` values, so each part resolves on its own (the host from
one part, the model-API path from another) and what stays unknown is a hole, not the whole URL."""

from __future__ import annotations

import re

from offramp.scan.values import Concat, Lit, Unknown, Value

_VERB = re.compile(r"%(?:%|[-+# 0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[a-zA-Z])")


def formatted(template: Value, arguments: list[Value]) -> Value:
    """``Sprintf("https://%s/v1/chat/completions", host)``: the literal text with each verb taking an argument."""
    if not (isinstance(template, Lit) and isinstance(template.value, str)):
        return Unknown("format string not known")
    parts: list[Value] = []
    remaining = iter(arguments)
    position = 0
    for verb in _VERB.finditer(template.value):
        parts.append(Lit(template.value[position : verb.start()]))
        parts.append(Lit("%") if verb.group() == "%%" else next(remaining, Unknown(verb.group())))
        position = verb.end()
    parts.append(Lit(template.value[position:]))
    return Concat(tuple(p for p in parts if p != Lit("")))


def joined(parts: list[Value]) -> Value:
    """``url.JoinPath(base, "chat", "completions")``: the parts with one '/' between each two."""
    if not parts:
        return Unknown("nothing joined")
    pieces: list[Value] = [parts[0]]
    for part in parts[1:]:
        pieces += [Lit("/"), part]
    return Concat(tuple(_without_edge_slashes(pieces)))


def _without_edge_slashes(pieces: list[Value]) -> list[Value]:
    """Literal slashes next to a joining '/' collapse, as JoinPath and path.Join do."""
    cleaned: list[Value] = []
    for index, piece in enumerate(pieces):
        if isinstance(piece, Lit) and isinstance(piece.value, str) and piece.value != "/":
            text = piece.value
            if index > 0 and pieces[index - 1] == Lit("/"):
                text = text.lstrip("/")
            if index + 1 < len(pieces) and pieces[index + 1] == Lit("/"):
                text = text.rstrip("/")
            piece = Lit(text, piece.origin)
        cleaned.append(piece)
    return cleaned
