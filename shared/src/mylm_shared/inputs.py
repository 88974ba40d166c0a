"""Clean text in, for every service (issue 15 item 5): what a request carries must be
text the store can hold and a person can read.

FerretDB's PostgreSQL backend cannot store U+0000 (``unsupported Unicode escape
sequence``) and BSON cannot encode a lone surrogate, so either one reaching a write made
the request fail with a 500; other control characters (C0, DEL, C1) have no place in a
name, a reference or a reason either. Every request model derives from
:class:`InputModel`, whose one validator checks every text value of every field (nested
lists, dicts and models too) and refuses such characters with a 422 naming the field.
A field that documents line breaks is annotated :data:`Multiline` and may hold ``\\n``,
``\\r`` and ``\\t``, nothing else.

Path and query parameters are checked before routing by
:class:`mylm_shared.bodies.BoundedInput` with :func:`control_character`.
"""

import re
from collections.abc import Mapping
from functools import cache
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

# C0 controls, DEL, C1 controls, and the surrogate range (only ever lone in a ``str``).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# The same, but line feed, carriage return and tab are allowed.
_CONTROL_BUT_LINES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

CONTROL_CHARACTER = "control_character"


class _MultilineMarker:
    """``Annotated`` metadata: this text field documents line breaks (``\\n``, ``\\r``,
    ``\\t`` allowed)."""

    def __repr__(self) -> str:
        return "Multiline"


MULTILINE = _MultilineMarker()
# A text field that may hold line breaks: ``reason: Multiline = Field(max_length=2000)``.
Multiline = Annotated[str, MULTILINE]


def control_character(text: str, *, lines: bool = False) -> tuple[int, str] | None:
    """The first forbidden character of ``text`` and its position, or None when clean.
    ``lines``: line feed, carriage return and tab are allowed."""
    found = (_CONTROL_BUT_LINES if lines else _CONTROL).search(text)
    return (found.start(), found.group()) if found else None


def _refusal(position: int, character: str) -> PydanticCustomError:
    return PydanticCustomError(
        CONTROL_CHARACTER,
        "Text may not contain control characters (U+{code} at position {position}).",
        {"code": f"{ord(character):04X}", "position": position},
    )


def _check(value: Any, lines: bool) -> None:
    """Every ``str`` inside ``value`` (dict keys too); a nested model of another kind is
    checked field by field (strictly: its fields carry no ``Multiline`` marker here)."""
    if isinstance(value, str):
        found = control_character(value, lines=lines)
        if found is not None:
            raise _refusal(*found)
    elif isinstance(value, InputModel):
        return  # validated by its own validator, with its own fields' markers
    elif isinstance(value, BaseModel):
        for item in value.__dict__.values():
            _check(item, False)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _check(key, False)
            _check(item, lines)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _check(item, lines)


class InputModel(BaseModel):
    """The base of every request model: no text field of it, or of any subclass, lets a
    control character through (issue 15 item 5). ``shared/tests/unit/test_clean_input.py``
    walks every service's routes and fails on a request model that is not one."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any, info: ValidationInfo) -> Any:
        _check(value, _multiline(cls, info.field_name or ""))
        return value


@cache
def _multiline(model: type[BaseModel], name: str) -> bool:
    """The field is annotated ``Multiline`` (also inside ``Multiline | None``, lists …)."""
    field = model.model_fields.get(name)
    if field is None:
        return False
    if any(m is MULTILINE for m in field.metadata):
        return True
    pending: list[Any] = [field.annotation]
    while pending:
        annotation = pending.pop()
        if get_origin(annotation) is Annotated and any(
            m is MULTILINE for m in annotation.__metadata__
        ):
            return True
        pending.extend(get_args(annotation))
    return False


def clean_file_name(name: str | None, default: str = "document", max_length: int = 200) -> str:
    """An uploaded file's name as it may be stored and shown: control characters and path
    separators dropped, at most ``max_length`` characters, ``default`` when nothing is left.
    (A file name is not the member's text to correct, so it is cleaned, not refused.)"""
    cleaned = _CONTROL.sub("", name or "").replace("/", "_").replace("\\", "_").strip()
    return cleaned[:max_length] or default
