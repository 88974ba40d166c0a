"""Clean text for every service (issue 15 item 5): the routes of every service of
services.toml are walked; every request model must be a ``mylm_shared.inputs.InputModel``,
and every text field of every one of them, every path parameter and every query
parameter is shown to refuse a control character with a 422 (nothing the store cannot
hold reaches it)."""

import re
import types
import typing
from collections.abc import Iterator
from typing import Annotated, Any, get_args, get_origin
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI, UploadFile
from fastapi.routing import APIRoute
from mylm_shared.bodies import ServedRoute, served_routes
from mylm_shared.inputs import (
    CONTROL_CHARACTER,
    MULTILINE,
    InputModel,
    Multiline,
    clean_file_name,
    control_character,
)
from pydantic import BaseModel, Field, ValidationError

from infra.manifest import load

SERVICES = load().names  # every service of services.toml
# Services whose routes take no request body (reads only): the walk must find none there
# and some everywhere else (a guard on the walk itself).
WITHOUT_BODIES: set[str] = set()  # every service takes a request body now (issue 19)
# What must never pass: U+0000 (PostgreSQL cannot store it), another C0 control, DEL,
# a C1 control, a lone surrogate (BSON cannot encode it).
FORBIDDEN = ["\x00", "\x1b", "\x7f", "\x85", "\ud800"]


def _app(service: str) -> FastAPI:
    module = __import__(f"{load()[service].package}.bootstrap", fromlist=["create_app"])
    app: FastAPI = module.create_app()
    return app


@pytest.fixture(scope="module")
def apps() -> Iterator[dict[str, FastAPI]]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PROFILE", "test")  # no production secrets needed to build the app
        yield {service: _app(service) for service in SERVICES}


def _routes(app: FastAPI) -> list[ServedRoute]:
    return served_routes(app)


def _leaves(annotation: Any) -> Iterator[Any]:
    """The types a value of ``annotation`` may be made of (through Annotated, unions,
    containers)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        yield from _leaves(get_args(annotation)[0])
    elif (
        origin in (typing.Union, types.UnionType)
        or origin in (list, set, frozenset, tuple)
        or origin is dict
    ):
        for argument in get_args(annotation):
            yield from _leaves(argument)
    elif origin is typing.Literal:
        return
    else:
        yield annotation


def _models(annotation: Any, found: set[type[BaseModel]]) -> None:
    for leaf in _leaves(annotation):
        if isinstance(leaf, type) and issubclass(leaf, BaseModel) and leaf not in found:
            found.add(leaf)
            for field in leaf.model_fields.values():
                _models(field.annotation, found)


def request_models(app: FastAPI) -> tuple[set[type[BaseModel]], list[str]]:
    """Every model a request body of ``app`` is validated with, and the body parameters
    that are text outside any model (which InputModel cannot guard)."""
    models: set[type[BaseModel]] = set()
    bare: list[str] = []
    for served in _routes(app):
        for parameter in served.route.dependant.body_params:
            leaves = list(_leaves(parameter.field_info.annotation))
            if any(leaf is str for leaf in leaves):
                bare.append(f"{served.path} {parameter.name}")
            _models(parameter.field_info.annotation, models)
    return models, bare


def _text_fields(model: type[BaseModel]) -> Iterator[tuple[str, Any, bool]]:
    """(name in the request, a value of its type holding ``{}`` for the text, multiline)."""
    for name, field in model.model_fields.items():
        alias = field.alias or name
        multiline = any(m is MULTILINE for m in field.metadata)
        annotation = field.annotation
        for shape in _shapes(annotation):
            yield alias, shape, multiline


def _shapes(annotation: Any) -> Iterator[Any]:
    origin = get_origin(annotation)
    if annotation is str:
        yield "{}"
    elif origin is Annotated:
        yield from _shapes(get_args(annotation)[0])
    elif origin in (typing.Union, types.UnionType):
        for argument in get_args(annotation):
            yield from _shapes(argument)
    elif origin in (list, set, frozenset, tuple):
        for inner in _shapes(get_args(annotation)[0]):
            yield [inner]
    elif origin is dict:
        key, value = get_args(annotation)
        for inner in _shapes(value):
            yield {"key": inner}
            if key is str:
                yield {"{}": _fill(inner, "clean")}


def _fill(shape: Any, text: str) -> Any:
    if isinstance(shape, str):
        return shape.format(text)
    if isinstance(shape, list):
        return [_fill(item, text) for item in shape]
    if isinstance(shape, dict):
        return {_fill(k, text): _fill(v, text) for k, v in shape.items()}
    return shape


def _refused_at(model: type[BaseModel], alias: str, value: Any) -> list[dict[str, Any]]:
    try:
        model.model_validate({alias: value})
    except ValidationError as error:
        return [dict(e) for e in error.errors() if e["loc"] and e["loc"][0] == alias]
    return []


@pytest.mark.parametrize("service", SERVICES)
def test_every_request_model_of_every_service_is_an_input_model(
    service: str, apps: dict[str, FastAPI]
) -> None:
    """Issue 15 item 5: no request model is forgotten; a body parameter of bare text
    (``Body(embed=True)``, ``Form()``) would escape the model check, so there is none."""
    models, bare = request_models(apps[service])
    assert bool(models) is (service not in WITHOUT_BODIES), f"{service}: {models}"
    forgotten = sorted(m.__qualname__ for m in models if not issubclass(m, InputModel))
    assert not forgotten, f"{service}: request models not derived from InputModel: {forgotten}"
    assert not bare, f"{service}: text body parameters outside a model: {bare}"


@pytest.mark.parametrize("service", SERVICES)
def test_every_text_field_of_every_request_model_refuses_control_characters(
    service: str, apps: dict[str, FastAPI]
) -> None:
    """Issue 15 item 5: each text field (also inside lists and dicts) answers a validation
    error at its own location for U+0000, ESC, DEL, a C1 control and a lone surrogate;
    a ``Multiline`` field still takes line breaks."""
    models, _ = request_models(apps[service])
    passed: list[str] = []
    checked = 0
    for model in models:
        for alias, shape, multiline in _text_fields(model):
            for character in FORBIDDEN:
                checked += 1
                if not _refused_at(model, alias, _fill(shape, f"ab{character}c")):
                    passed.append(f"{model.__qualname__}.{alias} took U+{ord(character):04X}")
            if multiline:
                errors = _refused_at(model, alias, _fill(shape, "line one\r\nline\ttwo"))
                assert all(e["type"] != CONTROL_CHARACTER for e in errors), (model, alias)
    assert bool(checked) is (service not in WITHOUT_BODIES), f"{service}: the walk is broken"
    assert not passed, f"{service}: {passed}"


def _example(served: ServedRoute, text: str) -> str:
    path = served.path
    for name in served.route.param_convertors:
        path = re.sub("{" + name + "(:[^}]*)?}", quote(text, safe=""), path)
    return path


def _query_names(route: APIRoute) -> list[str]:
    names: list[str] = []
    pending = [route.dependant]
    while pending:
        dependant = pending.pop()
        names += [p.alias for p in dependant.query_params]
        pending.extend(dependant.dependencies)
    return names


@pytest.mark.parametrize("service", SERVICES)
async def test_every_path_and_query_parameter_refuses_control_characters(
    service: str, apps: dict[str, FastAPI]
) -> None:
    """Issue 15 item 5: a control character in any path or query parameter of any route
    is a 422 problem naming it, before the route runs (the app serves here without its
    database: nothing could have been stored)."""
    app = apps[service]
    sent = 0
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        for served in _routes(app):
            method = sorted(served.methods)[0]
            targets: list[tuple[str, dict[str, str], list[str]]] = []
            if served.route.param_convertors:
                targets.append((_example(served, "a\x00b"), {}, ["path"]))
            for name in _query_names(served.route):
                targets.append((_example(served, "x"), {name: "a\x00b"}, ["query", name]))
            for path, query, location in targets:
                sent += 1
                response = await client.request(method, path, params=query)
                assert response.status_code == 422, (served.path, location, response.text)
                assert response.headers["content-type"] == "application/problem+json"
                errors = response.json()["errors"]
                assert {"location": location, "type": CONTROL_CHARACTER} in [
                    {"location": e["location"], "type": e["type"]} for e in errors
                ], (served.path, errors)
    if service != "notify":  # notify has no parameterised routes
        assert sent, f"{service}: no parameters found? the walk is broken"


class _Example(InputModel):
    name: str = Field(max_length=50)
    reason: Multiline | None = None
    tags: list[str] = Field(default_factory=list)
    labels: dict[str, str] = Field(default_factory=dict)


class _Plain(BaseModel):
    note: str


class _Wrapper(InputModel):
    inner: _Plain


@pytest.mark.parametrize("character", FORBIDDEN)
def test_the_input_model_refuses_control_characters_wherever_they_hide(character: str) -> None:
    """Issue 15 item 5: a direct field, a list item, a dict key or value, a nested plain
    model; the error names the field and the code point."""
    for data in (
        {"name": f"x{character}"},
        {"name": "x", "tags": ["ok", f"x{character}"]},
        {"name": "x", "labels": {f"k{character}": "v"}},
        {"name": "x", "labels": {"k": f"v{character}"}},
        {"name": "x", "reason": f"two\nlines{character}"},
    ):
        with pytest.raises(ValidationError) as refused:
            _Example.model_validate(data)
        (error,) = refused.value.errors()
        if character == "\ud800":  # pydantic itself refuses a lone surrogate in a str
            assert error["type"] in (CONTROL_CHARACTER, "string_unicode")
        else:
            assert error["type"] == CONTROL_CHARACTER
            assert f"U+{ord(character):04X}" in error["msg"]
    with pytest.raises(ValidationError):
        _Wrapper.model_validate({"inner": {"note": f"x{character}"}})


def test_line_breaks_only_where_a_field_documents_them() -> None:
    """Issue 15 item 5: ``\\n``, ``\\r``, ``\\t`` in a Multiline field, nowhere else."""
    assert _Example(name="x", reason="one\r\ntwo\tthree").reason == "one\r\ntwo\tthree"
    for character in "\n\r\t":
        with pytest.raises(ValidationError):
            _Example(name=f"a{character}b")
        with pytest.raises(ValidationError):
            _Example(name="x", tags=[f"a{character}b"])
    assert _Example(name="Zoë Ğüneş — 日本 😀").name == "Zoë Ğüneş — 日本 😀"


def test_control_character_finds_the_first_one() -> None:
    assert control_character("clean text, ünïcode") is None
    assert control_character("ab\x00c") == (2, "\x00")
    assert control_character("a\nb") == (1, "\n")
    assert control_character("a\nb", lines=True) is None


def test_file_names_are_cleaned_not_refused() -> None:
    """Issue 15 item 5: an uploaded file's name loses control characters and separators."""
    assert clean_file_name("bon\x00\x1b.pdf") == "bon.pdf"
    assert clean_file_name("../../etc/passwd") == ".._.._etc_passwd"
    assert clean_file_name("\x00\x01") == "document"
    assert clean_file_name(None) == "document"
    assert len(clean_file_name("a" * 500)) == 200


def test_an_upload_parameter_is_not_text() -> None:
    """The walk counts ``UploadFile`` as a file, not as bare text (guards the walk)."""
    assert str not in list(_leaves(UploadFile))


@pytest.mark.parametrize("service", SERVICES)
def test_every_operation_documents_the_refusals_of_its_input(
    service: str, apps: dict[str, FastAPI]
) -> None:
    """Issue 15 item 5: what the input checks answer is in each service's OpenAPI
    document as problem+json: 413 wherever there is a body and 422 wherever it is
    validated against a model (JSON, multipart), 422 wherever there
    is a path or query parameter, 401 and 503 where a file upload is authenticated
    before it is read."""
    document = apps[service].openapi()
    undocumented: list[str] = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            responses = operation.get("responses", {})
            expected: set[str] = set()
            if "requestBody" in operation:
                expected.add("413")
                content = operation["requestBody"].get("content", {})
                if "application/json" in content or "multipart/form-data" in content:
                    expected.add("422")  # validated by FastAPI (the OAuth form answers 400)
                if "multipart/form-data" in content and "security" in operation:
                    expected |= {"401", "503"}
            if any(p["in"] in ("path", "query") for p in operation.get("parameters", [])):
                expected.add("422")
            for status in sorted(expected - set(responses)):
                undocumented.append(f"{method.upper()} {path}: {status}")
            for status in expected & set(responses):
                schema = responses[status]["content"]["application/problem+json"]["schema"]
                assert schema["$ref"].endswith(("ProblemDetails", "ValidationProblem"))
    assert not undocumented, undocumented
