"""An AI proposal's content as the screen shows it, and as the consultant edits it.

A proposal's content is a feature's pydantic output as a dict. ``text_leaves`` walks it against the
output model and yields every piece of text with its dotted path ("competences.0.preuves.1") and the
field names along the way (for labels); choices such as a level (``Literal``) and numbers are not
text: the screen shows them, the edit keeps them.

``apply_edits`` puts edited values back at their paths. A blanked item of a text list is dropped,
and a blanked label (the first text field of an object: "competence", "intitule", "theme"…) drops
its whole object, so the consultant can shorten a list without a dedicated control.
``partial_texts`` reads the text values of an answer that is still streaming (incomplete JSON), so the
screen shows the answer as it arrives rather than raw JSON.
"""

from __future__ import annotations

import copy
import json
import re
import types
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from services.llm.schemas import OUTPUT_MODELS, AiFeature

PathPart = str | int
Fields = tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class TextLeaf:
    path: str  # dotted: "competences.0.preuves.1"
    fields: Fields  # (field name, 1-based item number or 0) from the top
    value: str
    long: bool  # a paragraph (max length over 300) rather than a label


def _unwrap(annotation: Any) -> Any:
    """``X | None`` → ``X``."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [arg for arg in get_args(annotation) if arg is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def _max_length(metadata: list[Any]) -> int:
    return next((int(item.max_length) for item in metadata if getattr(item, "max_length", None) is not None), 0)


def _is_text(annotation: Any) -> bool:
    return _unwrap(annotation) is str


def _label_field(model: type[BaseModel]) -> str:
    return next(name for name, info in model.model_fields.items() if _is_text(info.annotation))


def list_item_type(annotation: Any) -> Any:
    """``list[X]`` (or ``list[X] | None``) → ``X``; anything else → None."""
    annotation = _unwrap(annotation)
    return get_args(annotation)[0] if get_origin(annotation) is list else None


def walk_texts(
    model: type[BaseModel], data: dict[str, Any], path: tuple[PathPart, ...] = (), fields: Fields = ()
) -> Iterator[TextLeaf]:
    """The texts of ``data`` (an instance of ``model`` as a dict), depth first, in field order."""
    for name, info in model.model_fields.items():
        annotation = _unwrap(info.annotation)
        value = data.get(name)
        here, named = (*path, name), (*fields, (name, 0))
        if annotation is str and isinstance(value, str):
            long = _max_length(info.metadata) > 300
            yield TextLeaf(".".join(str(part) for part in here), named, value, long)
        elif (item_type := list_item_type(annotation)) is not None and isinstance(value, list):
            for index, item in enumerate(value):
                item_path, item_fields = (*here, index), (*fields, (name, index + 1))
                if item_type is str and isinstance(item, str):
                    yield TextLeaf(".".join(str(part) for part in item_path), item_fields, item, False)
                elif isinstance(item_type, type) and issubclass(item_type, BaseModel) and isinstance(item, dict):
                    yield from walk_texts(item_type, item, item_path, item_fields)


def text_leaves(feature: AiFeature | str, content: dict[str, Any]) -> list[TextLeaf]:
    """Every text of a proposal's content, in the order of the output model."""
    return list(walk_texts(OUTPUT_MODELS[AiFeature(feature)], content))


def choices(model: type[BaseModel], data: dict[str, Any]) -> list[tuple[str, str]]:
    """The ``Literal`` values of one object (a level, a horizon), as (field name, value)."""
    return [
        (name, str(data[name]))
        for name, info in model.model_fields.items()
        if get_origin(_unwrap(info.annotation)) is Literal and name in data
    ]


def _set(target: Any, path: list[PathPart], value: str) -> None:
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value


def _parse_path(path: str) -> list[PathPart]:
    return [int(part) if part.isdigit() else part for part in path.split(".")]


def _prune(model: type[BaseModel], data: dict[str, Any]) -> None:
    for name, info in model.model_fields.items():
        item_type, value = list_item_type(info.annotation), data.get(name)
        if item_type is None or not isinstance(value, list):
            continue
        if item_type is str:
            data[name] = [item for item in value if isinstance(item, str) and item.strip()]
        elif isinstance(item_type, type) and issubclass(item_type, BaseModel):
            label = _label_field(item_type)
            kept = [item for item in value if isinstance(item, dict) and str(item.get(label, "")).strip()]
            for item in kept:
                _prune(item_type, item)
            data[name] = kept


def apply_edits(feature: AiFeature | str, content: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """The content with the edited texts (by path) put back, blanked items dropped. Paths that are not
    texts of the content are ignored: the browser sends only what the screen rendered."""
    edited = copy.deepcopy(content)
    known = {leaf.path for leaf in text_leaves(feature, content)}
    for path, value in values.items():
        if path in known:
            _set(edited, _parse_path(path), value.strip())
    _prune(OUTPUT_MODELS[AiFeature(feature)], edited)
    return edited


# A JSON string token; the closing quote is missing while the answer is still arriving.
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)("?)\s*(:?)')
_CODE = re.compile(r"^[a-z_]{1,20}$")  # a choice ("fort", "court_terme"), not prose


def partial_texts(text: str) -> list[str]:
    """The text values of a JSON answer so far (keys, choices and numbers left out)."""
    found: list[str] = []
    for match in _STRING.finditer(text):
        raw, closed, colon = match.groups()
        if closed and colon:  # a key
            continue
        try:
            value = json.loads(f'"{raw}"')
        except json.JSONDecodeError:  # cut inside an escape sequence
            value = raw.rstrip("\\")
        if value.strip() and not _CODE.match(value):
            found.append(value)
    return found
