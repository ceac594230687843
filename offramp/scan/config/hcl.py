"""Enough of HCL (Terraform's language) to read blocks and literal attributes, with their lines.

A block is ``type "label" ... { body }``; an attribute is ``name = expression``. Expressions are skipped
(brackets balanced, strings, templates and heredocs honoured) and kept as source text; only a lone string
literal gets a value. python-hcl2 parses whole expressions but costs about 0.8 s per 100 KB plus 2.6 s to
build its grammar, and keeps no line numbers; this reader is linear and keeps them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from offramp.scan.config.errors import ConfigError

_SKIP = re.compile(r"[ \t\r\f]+|#[^\n]*|//[^\n]*|/\*.*?\*/", re.DOTALL)
_HEREDOC = re.compile(r"<<-?([A-Za-z_][\w-]*)[ \t]*\r?\n")
_IDENT = re.compile(r"[A-Za-z_][\w-]*")
_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_PUNCT = re.compile(r"==|!=|<=|>=|=>|&&|\|\||\.\.\.|[{}\[\]()=,.:?!<>+\-*/%]")
_STRING_TEXT = re.compile(r'[^"\\$%\n]+')
_TEMPLATE_TEXT = re.compile(r'[^"{}]+')
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_OPENING = {"{": "}", "[": "]", "(": ")"}


@dataclass(frozen=True)
class Attribute:
    name: str
    value: str | None
    """The string, when the expression is one string literal without interpolation."""
    expression: str
    line: int


@dataclass
class Block:
    type: str
    labels: tuple[str, ...]
    line: int
    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)


@dataclass(frozen=True)
class _Token:
    kind: str  # "ident", "string", "heredoc", "number", "punct", "newline"
    text: str
    start: int
    end: int
    value: str | None = None


def parse_hcl(text: str) -> Block:
    """The file's top-level body, as a block with no type."""
    parser = _Parser(text, _tokens(text))
    return parser.body(Block("", (), 1), closing=False)


def _tokens(text: str) -> list[_Token]:
    tokens = []
    position = 0
    while position < len(text):
        char = text[position]
        if match := _SKIP.match(text, position):
            position = match.end()
        elif char == "\n":
            tokens.append(_Token("newline", "\n", position, position + 1))
            position += 1
        elif char == '"':
            end, value = _string(text, position)
            tokens.append(_Token("string", text[position:end], position, end, value))
            position = end
        elif match := _HEREDOC.match(text, position):
            closing = re.compile(rf"^[ \t]*{re.escape(match.group(1))}[ \t]*\r?$", re.MULTILINE)
            end = closing.search(text, match.end())
            if end is None:
                raise ConfigError(f"heredoc <<{match.group(1)} at line {_line(text, position)} is never closed")
            tokens.append(_Token("heredoc", text[position:end.end()], position, end.end()))
            position = end.end()
        elif match := (_IDENT.match(text, position) or _NUMBER.match(text, position)
                       or _PUNCT.match(text, position)):
            kind = "ident" if match.re is _IDENT else "number" if match.re is _NUMBER else "punct"
            tokens.append(_Token(kind, match.group(0), position, match.end()))
            position = match.end()
        else:
            raise ConfigError(f"unexpected character {char!r} at line {_line(text, position)}")
    return tokens


def _string(text: str, start: int) -> tuple[int, str | None]:
    """The end of the string literal opening at ``start``, and its value (None when it interpolates)."""
    parts: list[str] = []
    literal = True
    position = start + 1
    while True:
        if match := _STRING_TEXT.match(text, position):
            parts.append(match.group(0))
            position = match.end()
        if position >= len(text) or text[position] == "\n":
            raise ConfigError(f"string at line {_line(text, start)} is not closed on its line")
        char = text[position]
        if char == '"':
            return position + 1, "".join(parts) if literal else None
        if char == "\\":
            escape = text[position + 1 : position + 2]
            if escape == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", text[position + 2 : position + 6]):
                parts.append(chr(int(text[position + 2 : position + 6], 16)))
                position += 6
            else:
                parts.append(_ESCAPES.get(escape, escape))
                position += 2
        elif text.startswith(("$${", "%%{"), position):
            parts.append(text[position + 1 : position + 3])
            position += 3
        elif text.startswith(("${", "%{"), position):
            literal = False
            position = _template_end(text, position + 2)
        else:
            parts.append(char)
            position += 1


def _template_end(text: str, position: int) -> int:
    """The position after the ``}`` closing an interpolation whose body starts at ``position``."""
    depth = 1
    while depth:
        if match := _TEMPLATE_TEXT.match(text, position):
            position = match.end()
        if position >= len(text):
            raise ConfigError(f"interpolation at line {_line(text, position - 1)} is never closed")
        char = text[position]
        if char == '"':
            position = _string(text, position)[0]
            continue
        depth += 1 if char == "{" else -1
        position += 1
    return position


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


class _Parser:
    def __init__(self, text: str, tokens: list[_Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.index = 0
        self.newlines = [i for i, char in enumerate(text) if char == "\n"]

    def line(self, token: _Token) -> int:
        return bisect.bisect_right(self.newlines, token.start) + 1

    def body(self, block: Block, closing: bool) -> Block:
        tokens = self.tokens
        while self.index < len(tokens):
            token = tokens[self.index]
            if token.kind == "newline":
                self.index += 1
            elif closing and token.text == "}":
                self.index += 1
                return block
            elif token.kind == "ident":
                following = tokens[self.index + 1] if self.index + 1 < len(tokens) else None
                if following is not None and following.text == "=":
                    attribute = self.attribute(token)
                    block.attributes[attribute.name] = attribute
                else:
                    block.blocks.append(self.block(token))
            else:
                raise ConfigError(f"unexpected {token.text!r} at line {self.line(token)}; "
                                  "expected an attribute or a block")
        if closing:
            raise ConfigError(f"block {block.type!r} opened at line {block.line} is never closed")
        return block

    def attribute(self, name: _Token) -> Attribute:
        self.index += 2
        start = self.index
        closers: list[str] = []
        while self.index < len(self.tokens):
            token = self.tokens[self.index]
            if not closers and (token.kind == "newline" or token.text == "}"):
                break
            if token.kind == "punct" and token.text in _OPENING:
                closers.append(_OPENING[token.text])
            elif token.kind == "punct" and closers and token.text == closers[-1]:
                closers.pop()
            self.index += 1
        expression = self.tokens[start : self.index]
        if closers or not expression:
            what = "is never closed" if closers else "has no value"
            raise ConfigError(f"attribute {name.text!r} at line {self.line(name)} {what}")
        value = expression[0].value if len(expression) == 1 else None
        source = self.text[expression[0].start : expression[-1].end]
        return Attribute(name.text, value, source, self.line(expression[0]))

    def block(self, type_token: _Token) -> Block:
        labels: list[str] = []
        self.index += 1
        while self.index < len(self.tokens):
            token = self.tokens[self.index]
            self.index += 1
            if token.text == "{" and token.kind == "punct":
                return self.body(Block(type_token.text, tuple(labels), self.line(type_token)), closing=True)
            if token.kind == "string" and token.value is not None:
                labels.append(token.value)
            elif token.kind == "ident":
                labels.append(token.text)
            else:
                break
        raise ConfigError(f"block {type_token.text!r} at line {self.line(type_token)} has no '{{'; "
                          "expected 'type \"label\" {' or 'name = value'")
