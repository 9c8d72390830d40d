"""Load YAML data files into pydantic models, reporting errors with file, line and field.

A file is parsed once, by libyaml when it is installed: the node tree it gives keeps the line
numbers, and the data are constructed from that same tree. Duplicate keys are refused, and every
problem of a file is reported, not only the first."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

try:  # libyaml: the same results as the pure-Python loader, many times faster
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a data file: where, which field, what."""

    line: int | None
    field: str
    message: str


class DataFileError(Exception):
    """A data file (wizard step, requirement library, answers file) is not valid.

    The message names the file, and for each problem the line and the field, so whoever edits
    the data can fix it. `line`, `field` and `message` are those of the first problem.
    """

    def __init__(
        self,
        path: Path | str,
        line: int | None,
        field: str,
        message: str,
        *,
        more: list[Problem] | None = None,
    ) -> None:
        self.path = Path(path)
        self.problems = [Problem(line, field, message), *(more or [])]
        self.line = line
        self.field = field
        self.message = message
        super().__init__("\n".join(self.describe(problem) for problem in self.problems))

    def describe(self, problem: Problem) -> str:
        where = f"{self.path}:{problem.line}" if problem.line else f"{self.path}"
        field_part = f" field '{problem.field}'" if problem.field else ""
        return f"{where}:{field_part} {problem.message}"

    @property
    def messages(self) -> list[str]:
        return [self.describe(problem) for problem in self.problems]


class _UniqueKeyLoader(_SafeLoader):
    """The safe loader, refusing duplicate keys instead of silently keeping the last one."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node)
        try:
            duplicate = key in mapping
        except TypeError as error:
            raise yaml.constructor.ConstructorError(
                None, None, "found an unhashable key", key_node.start_mark
            ) from error
        if duplicate:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}'", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node)
    return mapping


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _line_of(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    """Follow a pydantic error location through the YAML node tree to the nearest line."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(part):
                    node = value_node
                    line = key_node.start_mark.line + 1
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return line
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def line_of(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    return _line_of(node, loc)


def read_yaml(path: Path) -> tuple[Any, yaml.Node | None]:
    """Read a YAML file, returning the data and its node tree (for line numbers)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise DataFileError(path, None, "", f"is not UTF-8 text ({error.reason})") from error
    return parse_yaml_text(text, path)


# Bounds on a file's tree: no data file or answers file comes near them; a crafted one would.
MAX_NODES = 500_000
MAX_DEPTH = 64


def _check_tree(node: yaml.Node, path: Path | str, *, scalars: bool) -> None:
    """Refuse aliases (an alias repeats a node: a few hundred bytes can expand to gigabytes),
    and trees deeper or larger than any real file. Linear in the file's size; scalars, most of
    a file, are looked at one by one only when the text could hold an alias."""
    seen: set[int] = set()
    values = 0
    stack: list[tuple[yaml.Node, int, int]] = [(node, 1, node.start_mark.line + 1)]
    while stack:
        current, depth, line = stack.pop()
        if id(current) in seen:
            raise DataFileError(
                path, line, "", "uses an anchor and alias (& and *): write the content out in full"
            )
        seen.add(id(current))
        if depth > MAX_DEPTH:
            raise DataFileError(path, line, "", f"is nested more than {MAX_DEPTH} levels deep")
        if isinstance(current, yaml.ScalarNode):
            continue
        children = (
            [value for _key, value in current.value]
            if isinstance(current, yaml.MappingNode)
            else current.value
        )
        values += len(children)
        if values > MAX_NODES:
            raise DataFileError(path, line, "", f"has more than {MAX_NODES} values")
        stack.extend(
            (child, depth + 1, child.start_mark.line + 1)
            for child in children
            if scalars or isinstance(child, yaml.CollectionNode)
        )


def parse_yaml_text(text: str, path: Path | str) -> tuple[Any, yaml.Node | None]:
    """Parse once: compose the node tree, check it, then construct the data from it."""
    loader = _UniqueKeyLoader(text)
    try:
        node = loader.get_single_node()
        if isinstance(node, yaml.CollectionNode):
            # An alias is written with "*": without one in the text, only the shape is checked.
            _check_tree(node, path, scalars="*" in text)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        raise DataFileError(path, line, "", f"is not valid YAML: {error.problem}") from error
    except yaml.YAMLError as error:
        raise DataFileError(path, None, "", f"is not valid YAML: {error}") from error
    finally:
        loader.dispose()
    return data, node


def validate_data(
    model: type[ModelT], data: Any, node: yaml.Node | None, path: Path | str
) -> ModelT:
    """The data as `model`; every validation error is reported with its line and field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            loc = tuple(part for part in item["loc"] if not _is_union_tag(part))
            problem = Problem(_line_of(node, loc), ".".join(str(part) for part in loc), item["msg"])
            if problem not in problems:
                problems.append(problem)
        first, *more = problems
        raise DataFileError(path, first.line, first.field, first.message, more=more) from error


def _is_union_tag(part: int | str) -> bool:
    # pydantic inserts the tag of a union member ("function-after[...]", "Condition") into loc.
    return isinstance(part, str) and ("[" in part or ":" in part or part[:1].isupper())


def load_model(model: type[ModelT], path: Path) -> ModelT:
    data, node = read_yaml(path)
    return validate_data(model, data, node, path)
