"""The admission list: the suppliers qualified for the auction, and a hash that freezes it.

The organiser invites exactly the suppliers on this list; the hash goes into the audit log so a later check
can prove the invitations followed from the verdicts.
"""

from __future__ import annotations

from collections.abc import Iterable

from qualification.common.canonical import canonical_hash
from qualification.evaluation import Verdict


def admission_list(verdicts: Iterable[Verdict]) -> list[dict[str, str]]:
    """The admitted suppliers as ``{"id", "name", "kvk", "agb"}``, sorted by id.

    Raises :class:`ValueError` if two verdicts are for one supplier.
    """
    admitted: dict[str, dict[str, str]] = {}
    seen: set[str] = set()
    for verdict in verdicts:
        if verdict.supplier_id in seen:
            raise ValueError(f'two verdicts for supplier "{verdict.supplier_id}"')
        seen.add(verdict.supplier_id)
        if verdict.admitted:
            admitted[verdict.supplier_id] = {
                "id": verdict.supplier_id,
                "name": verdict.supplier_name,
                "kvk": verdict.supplier_kvk,
                "agb": verdict.supplier_agb,
            }
    return [admitted[supplier_id] for supplier_id in sorted(admitted)]


def admission_hash(verdicts: Iterable[Verdict]) -> str:
    """SHA-256 (hex) over the canonical JSON of :func:`admission_list`; independent of the verdicts' order."""
    return canonical_hash(admission_list(verdicts))
