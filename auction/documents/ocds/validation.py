"""Checking an OCDS release package against the official OCDS 1.1.5 schemas, offline.

Call :func:`validate_package` with a package (from :func:`auction.ocds.release_package`) and the folder holding
the schemas (``../shared/testdata/ocds/`` in development: the core release and package schemas and the bid and
requirements extensions). It returns the problems, one line each; an empty list means valid. Nothing is fetched
over the network: the package schema's reference to the release schema is mapped to the local, patched copy.

``jsonschema`` is a test extra, not a dependency of the engine: importing this module raises
:class:`ImportError` when it is missing, and callers that validate optionally (the demo) catch that.
"""

from __future__ import annotations

import importlib
import json
import re
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# jsonschema ships no type stubs; loading it by name keeps `mypy --strict` clean with or without them installed.
_jsonschema: Any = importlib.import_module("jsonschema")
_referencing: Any = importlib.import_module("referencing")
_referencing_jsonschema: Any = importlib.import_module("referencing.jsonschema")

RELEASE_SCHEMA_URL = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"
RELEASE_SCHEMA = "release-schema.json"
PACKAGE_SCHEMA = "release-package-schema.json"
EXTENSION_PATCHES = ("ocds_bid_extension.release-schema.json", "ocds_requirements_extension.release-schema.json")

_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def merge_patch(target: Any, patch: Any) -> Any:
    """Apply a JSON Merge Patch (RFC 7386) and return the result; neither argument is changed.

    An object patch merges key by key and a ``null`` value deletes the key; any other patch (an array, a string,
    a number) replaces the target whole. This is how an OCDS extension's ``release-schema.json`` extends the core.
    """
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge_patch(merged.get(key), value)
    return merged


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def patched_release_schema(schemas: Path) -> dict[str, Any]:
    """The core release schema with the bid and requirements extensions applied, in that order."""
    schema = _load(schemas / RELEASE_SCHEMA)
    for name in EXTENSION_PATCHES:
        schema = merge_patch(schema, _load(schemas / name))
    return dict(schema)


def _format_checker() -> Any:
    # jsonschema checks "date-time" and "uri" only when optional packages are installed. Own checks make the two
    # formats OCDS relies on count in every environment, the same way.
    checker = _jsonschema.FormatChecker(formats=())

    def is_date_time(value: object) -> bool:
        if not isinstance(value, str):
            return True
        if not _RFC3339.match(value):
            raise ValueError(f"{value!r} is not an RFC 3339 date-time")
        datetime.fromisoformat(value)
        return True

    def is_uri(value: object) -> bool:
        if not isinstance(value, str):
            return True
        parts = urlsplit(value)
        return bool(parts.scheme and parts.netloc)

    checker.checks("date-time", raises=ValueError)(is_date_time)
    checker.checks("uri")(is_uri)
    return checker


@cache
def _validators(schemas: Path) -> tuple[Any, Any]:
    release_schema = patched_release_schema(schemas)
    # A registry with this one resource and no retrieval: any other reference fails instead of going online.
    resource = _referencing_jsonschema.DRAFT4.create_resource(release_schema)
    registry = _referencing.Registry().with_resource(RELEASE_SCHEMA_URL, resource)
    checker = _format_checker()
    return (
        _jsonschema.Draft4Validator(release_schema, format_checker=checker),
        _jsonschema.Draft4Validator(_load(schemas / PACKAGE_SCHEMA), registry=registry, format_checker=checker),
    )


def _located(prefix: str, errors: Any) -> list[str]:
    return [f"{'/'.join([prefix, *map(str, error.absolute_path)]).strip('/')}: {error.message}" for error in errors]


def validate_package(package: dict[str, Any], schemas: Path) -> list[str]:
    """Every schema problem of the package, as ``"path: message"`` lines; empty when the package is valid.

    The package is checked against the package schema (which checks each release through its reference), and each
    release once more against the patched release schema on its own, so a problem names its release.
    """
    release_validator, package_validator = _validators(schemas.resolve())
    problems = _located("", package_validator.iter_errors(package))
    releases = package.get("releases")
    if isinstance(releases, list):
        for index, release in enumerate(releases):
            problems += _located(f"releases/{index}", release_validator.iter_errors(release))
    return problems
