"""String templates filled at run time and URL joins, as values made of parts: each part is resolved on its own,
so a URL built with ``"{}/chat/completions".format(base)``, ``"%s/v1/embeddings" % base`` or
``url.JoinPath(base, "chat", "completions")`` keeps its host and its path, and what stays unknown is a hole, not
the whole URL.

Front ends of every language call these for their template syntax (``str.format``, ``%``, ``fmt.Sprintf``,
``String.format``).
"""

from __future__ import annotations

import re
import string

from offramp.scan.values import Concat, Lit, Unknown, Value

_PERCENT = re.compile(r"%(?:\((?P<name>[^)]*)\))?[-+ #0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?P<conversion>[a-zA-Z%])")


def format_template(template: str, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """``template.format(*args, **kwargs)``: literal text and the arguments its fields name."""
    parts: list[Value] = []
    automatic = 0
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return Unknown(f"{template!r}.format(...)")
    for text, field, _spec, _conversion in fields:
        if text:
            parts.append(Lit(text))
        if field is None:
            continue
        name = re.split(r"[.\[]", field, maxsplit=1)[0]
        if name == "":
            parts.append(args[automatic] if automatic < len(args) else Unknown("{}"))
            automatic += 1
        elif name.isdigit():
            parts.append(args[int(name)] if int(name) < len(args) else Unknown(f"{{{name}}}"))
        else:
            parts.append(kwargs.get(name, Unknown(f"{{{name}}}")))
    return Concat(tuple(parts))


def percent_template(template: str, args: list[Value]) -> Value:
    """``template % args`` (and ``fmt.Sprintf``): each ``%s``-style directive takes the next argument."""
    parts: list[Value] = []
    position = 0
    index = 0
    for match in _PERCENT.finditer(template):
        if match.start() > position:
            parts.append(Lit(template[position : match.start()]))
        position = match.end()
        if match.group("conversion") == "%":
            parts.append(Lit("%"))
        elif match.group("name") is not None:
            parts.append(Unknown(f"%({match.group('name')})"))
        else:
            parts.append(args[index] if index < len(args) else Unknown(match.group()))
            index += 1
    if position < len(template):
        parts.append(Lit(template[position:]))
    return Concat(tuple(parts))


def formatted(template: Value, arguments: list[Value]) -> Value:
    """``Sprintf("https://%s/v1/chat/completions", host)``: the literal text with each verb taking an argument."""
    if not (isinstance(template, Lit) and isinstance(template.value, str)):
        return Unknown("format string not known")
    return percent_template(template.value, arguments)


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
