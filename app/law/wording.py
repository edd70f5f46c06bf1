"""The small template language of letter wording and finding sentences, shared by both.

- ``{name}`` is a value the caller supplies;
- ``[…]`` is printed only when every value directly inside it is given (brackets nest);
- ``[a|b]`` prints ``a`` when its values are given, else ``b``;
- ``\\{`` ``\\}`` ``\\[`` ``\\]`` ``\\|`` ``\\\\`` print the character itself.

Values are inserted after parsing, so braces or brackets inside a value print as typed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeAlias


@dataclass(frozen=True)
class Value:
    name: str


@dataclass(frozen=True)
class OptionalPart:
    branches: tuple[tuple[Node, ...], ...]


Node: TypeAlias = str | Value | OptionalPart
_NAME = re.compile(r"[a-z_][a-z0-9_]*")


class TemplateSyntaxError(ValueError):
    """A malformed template; the message says what and where, in Chinese."""


def parse(text: str) -> tuple[Node, ...]:
    nodes, pos, stop = _parse_branch(text, 0, nested=False)
    if stop:
        raise TemplateSyntaxError(f"多余的“{stop}”（第{pos + 1}个字符）")
    return nodes


def _parse_branch(text: str, pos: int, *, nested: bool) -> tuple[tuple[Node, ...], int, str]:
    nodes: list[Node] = []
    literal: list[str] = []

    def flush() -> None:
        if literal:
            nodes.append("".join(literal))
            literal.clear()

    while pos < len(text):
        char = text[pos]
        if char == "\\" and pos + 1 < len(text) and text[pos + 1] in "{}[]|\\":
            literal.append(text[pos + 1])
            pos += 2
        elif char == "{":
            end = text.find("}", pos)
            name = text[pos + 1 : end] if end > pos else ""
            if not _NAME.fullmatch(name):
                raise TemplateSyntaxError(f"“{{”后应是值的名称和“}}”（第{pos + 1}个字符）")
            flush()
            nodes.append(Value(name))
            pos = end + 1
        elif char == "[":
            flush()
            start = pos
            branches: list[tuple[Node, ...]] = []
            pos += 1
            while True:
                if pos >= len(text):
                    raise TemplateSyntaxError(f"“[”没有对应的“]”（第{start + 1}个字符）")
                branch, pos, stop = _parse_branch(text, pos, nested=True)
                branches.append(branch)
                if stop == "]":
                    break
                if stop != "|":
                    raise TemplateSyntaxError(f"“[”没有对应的“]”（第{start + 1}个字符）")
            nodes.append(OptionalPart(tuple(branches)))
        elif char in "|]" and nested:
            flush()
            return tuple(nodes), pos + 1, char
        elif char in "}|]":
            return tuple(nodes), pos, char
        else:
            literal.append(char)
            pos += 1
    flush()
    return tuple(nodes), pos, ""


def render(nodes: tuple[Node, ...], values: Mapping[str, str]) -> str:
    out: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, Value):
            # The spec check guarantees the value is given (outside brackets) or its branch is.
            out.append(values[node.name])
        else:
            for branch in node.branches:
                if all(n.name in values for n in branch if isinstance(n, Value)):
                    out.append(render(branch, values))
                    break
    return "".join(out)


def names(nodes: tuple[Node, ...], *, top_only: bool) -> set[str]:
    """The value names used; with ``top_only`` only those printed unconditionally."""
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, Value):
            found.add(node.name)
        elif isinstance(node, OptionalPart) and not top_only:
            for branch in node.branches:
                found |= names(branch, top_only=False)
    return found
