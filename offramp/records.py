"""Records: the models of data files, plain objects at run time and validated by pydantic only when data is read.

A scan starts from the compiled catalog, rules and policy (:func:`offramp.cachefolder.compiled`). When their
classes were pydantic models, unpickling them imported pydantic and built every model class first: a third of
a one-file scan, before its walk. A :class:`Record` is declared as a pydantic model is (annotations,
:func:`Field`, validators and ``model_config`` from this module); the first validation derives the pydantic
model from the declaration (:func:`validating_model`), validates with it and copies what it gives into a
record. The checks, their error messages and the JSON Schema are pydantic's, from the one declaration.
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, TypeVar, Union

if TYPE_CHECKING:
    from pydantic import BaseModel

R = TypeVar("R", bound="Record")


class _Deferred:
    """A pydantic object (``Field(...)``, ``AfterValidator(...)``...): built with the validating model."""

    __slots__ = ("args", "kwargs", "name")

    def __init__(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        self.name, self.args, self.kwargs = name, args, kwargs

    def build(self) -> Any:
        import pydantic

        return getattr(pydantic, self.name)(*self.args, **self.kwargs)


def _deferred(name: str) -> Callable[..., Any]:
    def make(*args: Any, **kwargs: Any) -> Any:
        return _Deferred(name, args, kwargs)

    make.__name__ = make.__qualname__ = name
    make.__doc__ = f"pydantic's ``{name}``, built with the record's validating model."
    return make


Field = _deferred("Field")
AfterValidator = _deferred("AfterValidator")
WithJsonSchema = _deferred("WithJsonSchema")


class _Validator:
    """A validator method of a record: its validating model has it, decorated by pydantic."""

    __slots__ = ("decorator", "function")

    def __init__(self, decorator: _Deferred, function: Any) -> None:
        self.decorator, self.function = decorator, function


def field_validator(*fields: str, **kwargs: Any) -> Callable[[Any], Any]:
    """pydantic's ``field_validator``, applied in the validating model."""
    return lambda function: _Validator(_Deferred("field_validator", fields, kwargs), function)


def model_validator(**kwargs: Any) -> Callable[[Any], Any]:
    """pydantic's ``model_validator``, applied in the validating model."""
    return lambda function: _Validator(_Deferred("model_validator", (), kwargs), function)


class Record:
    """Immutable data declared like a pydantic model (see the module). Build one with :meth:`model_validate` or
    keyword arguments, validated either way; compare, hash, copy and pickle it without pydantic."""

    _fields: ClassVar[tuple[str, ...]] = ()
    _defaults: ClassVar[dict[str, Any]] = {}
    _validators: ClassVar[dict[str, _Validator]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = [name for name, annotation in inspect.get_annotations(cls).items() if not _is_class_variable(annotation)]
        # As in a pydantic model, a field's default is not a class attribute: an instance always has the field.
        cls._defaults = {name: cls.__dict__[name] for name in own if name in cls.__dict__}
        cls._validators = {name: value for name, value in cls.__dict__.items() if isinstance(value, _Validator)}
        for name in (*cls._defaults, *cls._validators):
            delattr(cls, name)
        cls._fields = tuple(dict.fromkeys((*cls._fields, *own)))

    def __init__(self, **data: Any) -> None:
        self.__dict__.update(_record(validating_model(type(self))(**_as_input(data))).__dict__)

    @classmethod
    def model_validate(cls: type[R], data: Any, *, context: dict[str, Any] | None = None) -> R:
        """The record that ``data`` describes; raises pydantic's ``ValidationError``."""
        return _record(validating_model(cls).model_validate(_as_input(data), context=context))  # type: ignore[no-any-return]

    def model_copy(self: R, *, update: dict[str, Any] | None = None) -> R:
        """A copy with the fields in ``update`` replaced (not validated, as pydantic's ``model_copy``)."""
        copy = object.__new__(type(self))
        copy.__dict__.update({name: self.__dict__[name] for name in self._fields}, **(update or {}))
        return copy

    def model_dump(self, *, mode: Literal["python", "json"] = "python") -> dict[str, Any]:
        return {name: _dumped(self.__dict__[name], mode == "json") for name in self._fields}

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable: use model_copy(update={{{name!r}: ...}})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def _values(self) -> tuple[Any, ...]:
        return tuple(self.__dict__[name] for name in self._fields)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Record):
            return NotImplemented
        return type(self) is type(other) and self._values() == other._values()

    def __hash__(self) -> int:
        return hash((type(self), self._values()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{name}={self.__dict__[name]!r}' for name in self._fields)})"


def _is_class_variable(annotation: Any) -> bool:
    if isinstance(annotation, str):
        return annotation.startswith(("ClassVar", "typing.ClassVar"))
    return annotation is ClassVar or typing.get_origin(annotation) is ClassVar


_RECORDS: dict[type, type[Record]] = {}
"""Each validating model's record class."""


@cache
def validating_model(record: type[Record]) -> type[BaseModel]:
    """The pydantic model of a record class: the same name, documentation, fields, defaults, validators and
    configuration, records in its fields' types replaced by their validating models."""
    from pydantic import BaseModel

    bases = tuple(validating_model(base) for base in record.__bases__ if issubclass(base, Record) and base
                  is not Record) or (BaseModel,)
    hints = typing.get_type_hints(record, include_extras=True)
    own = [name for name in record._fields if name in inspect.get_annotations(record)]
    namespace: dict[str, Any] = {
        "__module__": record.__module__, "__qualname__": record.__qualname__, "__doc__": record.__doc__,
        "__annotations__": {name: _validating_type(hints[name]) for name in own},
        **{name: _built(default) for name, default in record._defaults.items()},
        **{name: validator.decorator.build()(validator.function) for name, validator in record._validators.items()},
    }
    if "model_config" in record.__dict__:
        namespace["model_config"] = record.__dict__["model_config"]
    model: type[BaseModel] = type(BaseModel)(record.__name__, bases, namespace)
    _RECORDS[model] = record
    return model


def _built(value: Any) -> Any:
    return value.build() if isinstance(value, _Deferred) else value


def _validating_type(annotation: Any) -> Any:
    """``annotation`` with records replaced by their validating models and deferred metadata built."""
    if isinstance(annotation, type):
        return validating_model(annotation) if issubclass(annotation, Record) else annotation
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return Annotated[(_validating_type(annotation.__origin__), *map(_built, annotation.__metadata__))]
    if origin is None or origin is Literal:
        return annotation
    args = typing.get_args(annotation)
    validating = tuple(map(_validating_type, args))
    if validating == args:
        return annotation
    if origin in (Union, types.UnionType):
        return Union[validating]  # noqa: UP007 - the members are known only here
    return types.GenericAlias(origin, validating)


def _record(value: Any) -> Any:
    """What a validating model gave, with its models (and theirs, in lists, tuples and dicts) as records."""
    record = _RECORDS.get(type(value))
    if record is not None:
        made = object.__new__(record)
        made.__dict__.update({name: _record(getattr(value, name)) for name in record._fields})
        return made
    if type(value) is list:
        return [_record(item) for item in value]
    if type(value) is tuple:
        return tuple(_record(item) for item in value)
    if type(value) is dict:
        return {key: _record(item) for key, item in value.items()}
    return value


def _as_input(value: Any) -> Any:
    """``value`` for a validating model: records (in lists, tuples and dicts too) as the mappings of their fields,
    as a pydantic model takes an instance of a model where one is expected."""
    if isinstance(value, Record):
        return {name: _as_input(value.__dict__[name]) for name in value._fields}
    if type(value) in (list, tuple):
        return type(value)(_as_input(item) for item in value)
    if type(value) is dict:
        return {key: _as_input(item) for key, item in value.items()}
    return value


def _dumped(value: Any, json: bool) -> Any:
    if isinstance(value, Record):
        return value.model_dump(mode="json" if json else "python")
    if isinstance(value, list | tuple | set | frozenset):
        items = [_dumped(item, json) for item in value]
        return items if json or isinstance(value, list) else type(value)(items)
    if isinstance(value, dict):
        return {key: _dumped(item, json) for key, item in value.items()}
    if json and hasattr(value, "isoformat"):
        return value.isoformat()
    return value
