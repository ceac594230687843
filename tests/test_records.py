"""Records: declared like pydantic models, validated by pydantic, plain objects once validated."""

import pickle
import subprocess
import sys
from datetime import date
from typing import Annotated

import pytest
from pydantic import ValidationError

from offramp.catalog import Catalog
from offramp.records import AfterValidator, Field, Record, field_validator, model_validator, validating_model
from offramp.scan.rules import language_rules


def _upper(code: str) -> str:
    if not code.isupper():
        raise ValueError(f"expected capitals, got {code!r}")
    return code


class Part(Record):
    """A part of a machine."""

    name: str = Field(pattern=r"^[a-z]+$", description="Lower-case name.")
    country: Annotated[str, AfterValidator(_upper)] = "US"


class Machine(Record):
    model_config = {"extra": "forbid"}  # noqa: RUF012 - pydantic's configuration, a dict as pydantic wants

    parts: tuple[Part, ...] = Field(min_length=1)
    built: date | None = None
    tags: dict[str, list[str]] = Field(default_factory=dict)

    @field_validator("tags")
    @classmethod
    def _no_empty_tag(cls, tags: dict[str, list[str]]) -> dict[str, list[str]]:
        if "" in tags:
            raise ValueError("a tag needs a name")
        return tags

    @model_validator(mode="after")
    def _built_machines_have_parts_from_one_country(self) -> "Machine":
        if self.built and len({part.country for part in self.parts}) > 1:
            raise ValueError("a built machine has parts from one country")
        return self


def test_validated_data_becomes_records_with_their_defaults() -> None:
    machine = Machine.model_validate({"parts": [{"name": "gear"}], "built": "2026-01-02", "tags": {"a": ["b"]}})
    assert type(machine) is Machine and type(machine.parts[0]) is Part
    assert machine.parts == (Part(name="gear", country="US"),)
    assert machine.built == date(2026, 1, 2) and machine.tags == {"a": ["b"]}
    assert Machine(parts=[Part(name="gear")]) == Machine.model_validate({"parts": [{"name": "gear"}]})


def test_every_check_of_the_declaration_is_pydantics() -> None:
    bad = [{"parts": []}, {"parts": [{"name": "Gear"}]}, {"parts": [{"name": "gear", "country": "us"}]},
           {"parts": [{"name": "gear"}], "tags": {"": []}},
           {"parts": [{"name": "a", "country": "US"}, {"name": "b", "country": "TW"}], "built": "2026-01-02"},
           {"parts": [{"name": "gear"}], "colour": "red"}]
    for data in bad:
        with pytest.raises(ValidationError) as raised:
            Machine.model_validate(data)
        assert raised.value.title == "Machine"
        with pytest.raises(ValidationError):
            validating_model(Machine).model_validate(data)
    with pytest.raises(ValidationError, match="expected capitals"):
        Part(name="gear", country="tw")


def test_a_record_is_immutable_comparable_hashable_and_copied_by_fields() -> None:
    part = Part(name="gear")
    with pytest.raises(AttributeError):
        part.name = "cog"  # type: ignore[misc]
    assert hash(part) == hash(Part(name="gear")) and part != Part(name="cog")
    assert part.model_copy(update={"country": "TW"}) == Part(name="gear", country="TW")
    assert Machine(parts=[part], built=date(2026, 1, 2)).model_dump(mode="json") == {
        "parts": [{"name": "gear", "country": "US"}], "built": "2026-01-02", "tags": {}}
    assert repr(part) == "Part(name='gear', country='US')"


def test_the_validating_model_publishes_the_declared_schema() -> None:
    schema = validating_model(Part).model_json_schema()
    assert schema["title"] == "Part" and schema["description"] == "A part of a machine."
    assert schema["properties"]["name"] == {"description": "Lower-case name.", "pattern": "^[a-z]+$",
                                            "title": "Name", "type": "string"}


UNPICKLE = """
import pickle, sys
catalog, rules = pickle.loads(sys.stdin.buffer.read())
assert catalog.providers["openai"].hosts and rules.sdk_rule("openai")
print("pydantic" in sys.modules)
"""


def test_pickled_records_load_without_pydantic() -> None:
    # What the compiled catalog, rules and policy are: a scan that loads them does not import pydantic.
    data = pickle.dumps((Catalog.load(), language_rules("python")))
    loaded = subprocess.run([sys.executable, "-c", UNPICKLE], input=data, capture_output=True, check=True)
    assert loaded.stdout.decode().split() == ["False"]
