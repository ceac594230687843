"""Checking an answer against the JSON schema its request asked for, before the client gets it.

jsonschema is imported on the first such request, not when the gateway starts: with its optional format
checkers installed, importing it costs seconds of CPU that most gateways never need.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema.protocols import Validator


@lru_cache(maxsize=256)
def _validator(schema_text: str) -> Validator:
    from jsonschema.validators import validator_for

    schema = json.loads(schema_text)
    validator = validator_for(schema)
    validator.check_schema(schema)
    return validator(schema)


def schema_violation(answer: str | None, schema: dict[str, Any]) -> str | None:
    """Why ``answer`` is not a JSON document valid against ``schema``, or None when it is."""
    from jsonschema.exceptions import SchemaError

    try:
        validator = _validator(json.dumps(schema, sort_keys=True))
    except SchemaError as exc:
        return f"the request's JSON schema is itself invalid: {exc.message}"
    try:
        document = json.loads(answer or "")
    except ValueError:
        return "the answer is not JSON"
    error = next(iter(validator.iter_errors(document)), None)
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path) or "(root)"
    return f"the answer does not match the schema at {where}: {error.message}"
