"""Importing responses in the format a supplier used (JSON, the XLSX workbook, CSV), with their documents.

Every format is read into the same response document (the JSON shape, ``docs/qualification.md``), then checked
by :func:`qualification.responses.parse_response`. Documents the answers name (evidence, and answers to
``document`` criteria) are looked up in the documents folder (by default the response file's own folder) and
hashed; a named document that did not arrive is not an import error but makes the finding "needs review".

All or nothing: when any file has a problem, every problem of every file is reported and nothing is imported.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qualification.common.errors import InputError
from qualification.common.files import read_document
from qualification.criteria import CriteriaSet
from qualification.responses import AttachedDocument, SupplierResponse, parse_response, referenced_documents

MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
"""A larger 'evidence document' is almost certainly the wrong file; refuse it rather than store it."""

FORMATS = {".json": "json", ".xlsx": "xlsx", ".csv": "csv"}


@dataclass(frozen=True)
class ImportedResponse:
    """A checked response, the file as received and the documents that came with it."""

    response: SupplierResponse
    format: str
    raw: bytes
    contents: dict[str, bytes]  # document name → bytes, for the documents received
    missing_documents: tuple[str, ...]  # named in the answers, not received
    missing_required: tuple[str, ...]  # of those, the ones a finding depends on (it will need review)

    @property
    def file_sha256(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()


def read_response_document(
    path: Path, criteria: CriteriaSet, *, tender_id: str, criteria_version: int
) -> tuple[str, dict[str, Any]]:
    """(format, response document) from a JSON, XLSX or CSV file; :class:`InputError` names what is wrong."""
    file_format = FORMATS.get(path.suffix.lower())
    if file_format is None:
        raise InputError(str(path), "unknown file type: expected .json, .xlsx (the response workbook) or .csv")
    if file_format == "json":
        return file_format, read_document(path)
    if file_format == "xlsx":
        from qualification.workbook import read_workbook

        document = read_workbook(
            path, criteria, tender_id=tender_id, criteria_hash=criteria.hash, criteria_version=criteria_version
        )
        return file_format, document
    from qualification.csv_response import read_csv_response

    return file_format, read_csv_response(path, criteria, tender_id=tender_id)


def _gather_documents(
    response: SupplierResponse, criteria: CriteriaSet, folder: Path, source: str
) -> tuple[dict[str, bytes], list[str]]:
    contents: dict[str, bytes] = {}
    missing: list[str] = []
    base = folder.resolve()
    for name in referenced_documents(response, criteria):
        candidate = (base / name).resolve()
        if not candidate.is_relative_to(base):  # "../x.pdf" or a symlink out of the folder
            raise InputError(source, f"document {name!r} lies outside the documents folder {folder}")
        if not candidate.is_file():
            missing.append(name)
            continue
        size = candidate.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise InputError(source, f"document {name!r} is {size:,} bytes; the limit is {MAX_DOCUMENT_BYTES:,}")
        contents[name] = candidate.read_bytes()
    return contents, missing


def import_response(
    path: Path,
    criteria: CriteriaSet,
    *,
    tender_id: str,
    criteria_version: int,
    documents_dir: Path | None = None,
) -> ImportedResponse:
    """Read, check and attach documents to one response file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot be read: {exc.strerror}") from None
    file_format, document = read_response_document(
        path, criteria, tender_id=tender_id, criteria_version=criteria_version
    )
    response = parse_response(document, str(path), tender_id, criteria)
    contents, missing = _gather_documents(response, criteria, documents_dir or path.parent, str(path))
    attached = tuple(
        AttachedDocument(name=name, sha256=hashlib.sha256(content).hexdigest(), size=len(content))
        for name, content in sorted(contents.items())
    )
    required = set(required_documents(response, criteria))
    return ImportedResponse(
        response=response.model_copy(update={"documents": attached}),
        format=file_format,
        raw=raw,
        contents=contents,
        missing_documents=tuple(missing),
        missing_required=tuple(name for name in missing if name in required),
    )


def required_documents(response: SupplierResponse, criteria: CriteriaSet) -> list[str]:
    """The document names a finding depends on: ``document`` answers, and evidence where it is required."""
    names = []
    for answer in response.answers:
        criterion = criteria.get(answer.criterion)
        if criterion is None:
            continue
        if criterion.type == "document" and isinstance(answer.value, str):
            names.append(answer.value)
        elif criterion.evidence_required and answer.evidence:
            names.append(answer.evidence)
    return names


def import_responses(
    paths: Iterable[Path],
    criteria: CriteriaSet,
    *,
    tender_id: str,
    criteria_version: int,
    documents_dir: Path | None = None,
) -> list[ImportedResponse]:
    """Import several files; every problem of every file is reported at once, and then none is imported.

    Two files from one supplier are refused, naming both.
    """
    imported: list[ImportedResponse] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for path in paths:
        try:
            one = import_response(
                path, criteria, tender_id=tender_id, criteria_version=criteria_version, documents_dir=documents_dir
            )
        except InputError as exc:
            problems.append(str(exc))
            continue
        supplier_id = one.response.supplier.id
        if supplier_id in seen:
            problems.append(
                f'{path}: supplier → id: supplier "{supplier_id}" already responded in {seen[supplier_id]};'
                " one response per supplier"
            )
            continue
        seen[supplier_id] = str(path)
        imported.append(one)
    if problems:
        count = f"{len(problems)} file{'s' if len(problems) != 1 else ''} with problems; nothing was imported"
        raise InputError("responses", count + "\n  " + "\n  ".join(problems))
    return imported
