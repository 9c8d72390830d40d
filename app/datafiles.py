"""Load YAML data files into pydantic models, reporting errors with file, line and field."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

ModelT = TypeVar("ModelT", bound=BaseModel)


class DataFileError(Exception):
    """A data file (wizard step, requirement library) is not valid.

    The message names the file, the line and the field, so whoever edits the data can fix it.
    """

    def __init__(self, path: Path | str, line: int | None, field: str, message: str) -> None:
        self.path = Path(path)
        self.line = line
        self.field = field
        self.message = message
        where = f"{self.path}:{line}" if line else f"{self.path}"
        field_part = f" field '{field}'" if field else ""
        super().__init__(f"{where}:{field_part} {message}".replace(": ", ": ", 1))


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys instead of silently keeping the last one."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: set[Any] = set()
    for key_node, _value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}'", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


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


def read_yaml(path: Path) -> tuple[Any, yaml.Node | None]:
    """Read a YAML file, returning the data and its node tree (for line numbers)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise DataFileError(path, None, "", f"is not UTF-8 text ({error.reason})") from error
    return parse_yaml_text(text, path)


def parse_yaml_text(text: str, path: Path | str) -> tuple[Any, yaml.Node | None]:
    try:
        node = yaml.compose(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        raise DataFileError(path, line, "", f"is not valid YAML: {error.problem}") from error
    except yaml.YAMLError as error:
        raise DataFileError(path, None, "", f"is not valid YAML: {error}") from error
    return data, node


def validate_data(
    model: type[ModelT], data: Any, node: yaml.Node | None, path: Path | str
) -> ModelT:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        loc = tuple(part for part in first["loc"] if not _is_union_tag(part))
        field = ".".join(str(part) for part in loc)
        raise DataFileError(path, _line_of(node, loc), field, first["msg"]) from error


def _is_union_tag(part: int | str) -> bool:
    # pydantic inserts the tag of a union member ("function-after[...]", "Condition") into loc.
    return isinstance(part, str) and ("[" in part or ":" in part or part[:1].isupper())


def load_model(model: type[ModelT], path: Path) -> ModelT:
    data, node = read_yaml(path)
    return validate_data(model, data, node, path)


def line_of(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    return _line_of(node, loc)
