"""Read YAML safely, keeping the line of every key and refusing keys given twice.

PyYAML's `safe_load` silently keeps the last of two equal keys and forgets where things were;
plan problems must name their line, and a duplicated key must be an error (CONTRACT.md §1).
Before any node is built, one pass over the parser's events (a loop, no recursion) holds the
document to the limits of kpis.limits: its nesting (libyaml's composer recurses in C and a
document 50,000 deep crashes the process) and its size with every alias expanded (a
"billion laughs" of 769 bytes otherwise takes gigabytes), and refuses an alias inside the
value its anchor names (a value that holds itself: every walk of it would be endless). A
scalar PyYAML's constructor cannot build (a date that does not exist, an integer of more than
4,300 digits) is kept as its text and listed, so that it is reported at its place.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from kpis.i18n import format_number
from kpis.limits import Limits
from kpis.limits import active as active_limits

Path_ = tuple[str | int, ...]


@dataclass
class LoadedYaml:
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)  # 1-based line of each key/item
    duplicates: list[tuple[Path_, int, int]] = field(default_factory=list)  # path, first, again
    texts: dict[Path_, str] = field(default_factory=dict)  # each scalar as written ("1.500")
    # Scalars PyYAML cannot build (a date that does not exist, a number of 5,000 digits):
    # path, line, message (vi, en). Each is kept as its text, so the rest is still checked.
    unreadable: list[tuple[Path_, int, str, str]] = field(default_factory=list)

    def line_of(self, path: Path_) -> int | None:
        """The line of `path`, or of its nearest ancestor that has one."""
        for cut in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:cut]))
            if line is not None:
                return line
        return None


# libyaml's parser (C) when PyYAML was built with it: a national plan of a hundred indicators
# parses in milliseconds instead of a tenth of a second. Same nodes, same marks.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlRefused(yaml.YAMLError):
    """A document refused before it is built, with its message and line."""

    def __init__(self, message_vi: str, message_en: str, line: int | None):
        self.message_vi, self.message_en, self.line = message_vi, message_en, line
        super().__init__(message_en)


class YamlTooLarge(YamlRefused):
    """A document beyond the limits (kpis.limits): nested too deep or too many values."""


class YamlRecursive(YamlRefused):
    """An alias inside the collection its anchor names (`a: &p [*p]`): a value that holds
    itself, endless to walk or to print."""


def load_yaml_with_lines(text: str, limits: Limits | None = None) -> LoadedYaml:
    """`yaml.safe_load` plus a map of lines. Raises yaml.YAMLError on malformed YAML and
    YamlTooLarge for a document beyond the limits.

    Malformed YAML is read again by the pure-Python loader, so the error message and its
    place are the ones PyYAML has always given. A recursive alias raises YamlRecursive; a
    scalar PyYAML cannot build is kept as its text and listed in `unreadable`.
    """
    limits = limits or active_limits()
    if len(text) > limits.plan_kb * 1024:
        raise YamlTooLarge(
            f"tệp dài {format_number(len(text) // 1024)} kB, quá giới hạn "
            f"{format_number(limits.plan_kb)} kB",
            f"the file is {len(text) // 1024:,} kB, more than the limit of {limits.plan_kb:,} kB",
            None,
        )
    try:
        _check_size(text, _FAST_LOADER, limits)
        return _load(text, _FAST_LOADER)
    except YamlRefused:
        raise
    except yaml.YAMLError:
        if _FAST_LOADER is yaml.SafeLoader:
            raise
    _check_size(text, yaml.SafeLoader, limits)
    return _load(text, yaml.SafeLoader)


def _check_size(text: str, loader_class: type, limits: Limits) -> None:
    """Walk the parser's events once: nesting within `yaml_depth`, values (each alias counted
    as the values it stands for) within `yaml_nodes`. Raises YamlTooLarge at the first excess,
    YamlRecursive at an alias to a collection still open (one that would hold itself)."""
    loader = loader_class(text)
    # One frame per open collection: [values so far, its anchor]; frame 0 is the document.
    frames: list[list] = [[0, None]]
    sizes: dict[str, int] = {}  # anchor -> values it stands for
    open_at: dict[str, int] = {}  # anchor of a collection still open -> its line
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                frames.append([1, event.anchor])
                if event.anchor:
                    open_at[event.anchor] = event.start_mark.line + 1
                if len(frames) - 1 > limits.yaml_depth:
                    raise YamlTooLarge(
                        f"tệp lồng nhau quá {limits.yaml_depth} cấp",
                        f"the document is nested more than {limits.yaml_depth} levels deep",
                        event.start_mark.line + 1,
                    )
                continue
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                count, anchor = frames.pop()
                if anchor:
                    sizes[anchor] = count
                    open_at.pop(anchor, None)
                frames[-1][0] += count
            elif isinstance(event, yaml.ScalarEvent):
                if event.anchor:
                    sizes[event.anchor] = 1
                    open_at.pop(event.anchor, None)  # (an anchor named again: the later one)
                frames[-1][0] += 1
            elif isinstance(event, yaml.AliasEvent):
                if event.anchor in open_at:
                    line = event.start_mark.line + 1
                    anchor_line = open_at[event.anchor]
                    raise YamlRecursive(
                        f"bí danh *{event.anchor} ở dòng {line} trỏ vào chính nó (nằm trong "
                        f"giá trị &{event.anchor} mở ở dòng {anchor_line}): viết giá trị ra "
                        "thay vì dùng bí danh",
                        f"the alias *{event.anchor} on line {line} refers to itself (it lies "
                        f"inside the value &{event.anchor} opened on line {anchor_line}): write "
                        "the value out instead of the alias",
                        line,
                    )
                frames[-1][0] += sizes.get(event.anchor, 1)
            else:
                continue
            if sum(frame[0] for frame in frames) > limits.yaml_nodes:
                raise YamlTooLarge(
                    f"tệp có quá {format_number(limits.yaml_nodes)} giá trị (kể cả các bí danh "
                    "`*` mở rộng)",
                    f"the document has more than {limits.yaml_nodes:,} values (aliases `*` "
                    "expanded)",
                    event.start_mark.line + 1,
                )
    finally:
        loader.dispose()


def _load(text: str, loader_class: type) -> LoadedYaml:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return LoadedYaml(data=None)
        _join_decimal_commas(node)
        unbuildable = _unbuildable_scalars(loader, node)
        data = loader.construct_document(node)
    finally:
        loader.dispose()
    result = LoadedYaml(data=data)
    _walk(node, (), result, unbuildable)
    return result


_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_FLOAT = "tag:yaml.org,2002:float"


def _unbuildable_scalars(loader, node: yaml.Node) -> dict[int, tuple[str, str]]:
    """The scalars PyYAML's constructor would raise ValueError on (`2016-02-30`, an integer
    of more than 4,300 digits), by node id, with their message; each is retagged as text,
    so that the document is built and its other problems found too. Every node once."""
    found: dict[int, tuple[str, str]] = {}
    for current in _each_node(node):
        if isinstance(current, yaml.ScalarNode) and current.tag in (_TIMESTAMP, _INT, _FLOAT):
            try:
                loader.construct_object(current)
            except ValueError as exc:
                loader.recursive_objects.pop(current, None)  # (left there by the failure)
                found[id(current)] = _unbuildable(current, exc)
                current.tag = _STR
    return found


def _unbuildable(node: yaml.ScalarNode, exc: ValueError) -> tuple[str, str]:
    text = node.value if len(node.value) <= 40 else node.value[:20] + "…"
    if node.tag == _TIMESTAMP:
        return (
            f"ngày «{text}» không có thật: kiểm tra ngày/tháng (YYYY-MM-DD)",
            f"the date «{text}» does not exist: check the day and month (YYYY-MM-DD)",
        )
    digits = sum(character.isdigit() for character in node.value)
    if "digits" in str(exc):
        return (
            f"số quá dài ({digits:,} chữ số): kiểm tra giá trị".replace(",", "."),  # 5.000
            f"the number is too long ({digits:,} digits): check the value",
        )
    return (
        f"không đọc được giá trị «{text}»: kiểm tra giá trị",
        f"cannot read the value «{text}»: check it",
    )


_INT = "tag:yaml.org,2002:int"
_NULL = "tag:yaml.org,2002:null"
_STR = "tag:yaml.org,2002:str"
_WHOLE = re.compile(r"[-+]?\d+")


def _join_decimal_commas(node: yaml.Node) -> None:
    """`{min: 0,7}` read as `min: 0,7` is in block style: the text '0,7', not 0 and a key 7.

    In a flow mapping YAML splits "0,7" at the comma into the value 0 and a key 7 with no
    value, and the writer meant seven tenths: joined back into one text, it gets the same
    message and hint as the block style ("write 0.7") instead of a puzzling key «7».
    """
    for current in _each_node(node):
        if not isinstance(current, yaml.MappingNode):
            continue
        pairs = current.value
        if current.flow_style:
            index = 1
            while index < len(pairs):
                (_, before), (key, value) = pairs[index - 1], pairs[index]
                if (
                    _plain_whole(before)
                    and _plain_whole(key)
                    and isinstance(value, yaml.ScalarNode)
                    and value.tag == _NULL
                    and value.value == ""
                    and key.start_mark.index == before.end_mark.index + 1  # "0,7": no space
                ):
                    joined = yaml.ScalarNode(
                        _STR, f"{before.value},{key.value}", before.start_mark, key.end_mark
                    )
                    pairs[index - 1] = (pairs[index - 1][0], joined)
                    del pairs[index]
                    continue
                index += 1


def _each_node(root: yaml.Node) -> Iterator[yaml.Node]:
    """Every node under `root` once (an alias is the same node again, and a recursive one
    would loop), each before its children, which are looked at after the caller has
    changed it."""
    stack, seen = [root], set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            stack.extend(item for pair in current.value for item in pair)


def _plain_whole(node: yaml.Node) -> bool:
    return (
        isinstance(node, yaml.ScalarNode)
        and node.tag == _INT
        and not node.style
        and _WHOLE.fullmatch(node.value) is not None
    )


def _walk(
    node: yaml.Node,
    path: Path_,
    out: LoadedYaml,
    unbuildable: dict[int, tuple[str, str]] | None = None,
) -> None:
    """Lines, texts and duplicated keys under `node` (its aliases walked again, within the
    limits `_check_size` held the document to; a recursive one was refused there)."""
    unbuildable = unbuildable or {}
    out.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.ScalarNode):
        out.texts[path] = node.value
        if id(node) in unbuildable:
            out.unreadable.append((path, node.start_mark.line + 1, *unbuildable[id(node)]))
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            line = key_node.start_mark.line + 1
            if key in seen:
                out.duplicates.append(((*path, key), seen[key], line))
                continue
            seen[key] = line
            out.lines[(*path, key)] = line
            _walk(value_node, (*path, key), out, unbuildable)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), out, unbuildable)
