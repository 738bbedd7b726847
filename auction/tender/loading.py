"""Loading a tender file: the model's own checks, the concept contract beside it, and every lot's auction rules
(ceilings must parse with the tender's decimals), so a tender that loads can be auctioned."""

from __future__ import annotations

from pathlib import Path

from auction.tender.auction_rules import rules_from_tender
from auction.tender.file import Tender
from qualification.common.errors import InputError
from qualification.common.files import load_model


def load_tender(path: Path) -> Tender:
    """Load and check a tender file; an :class:`~auction.errors.InputError` names file, record and field."""
    tender = load_model(Tender, path)
    concept = path.parent / tender.concept_contract.file
    try:
        found = concept.is_file()
    except OSError as exc:  # e.g. a name too long for the file system
        raise InputError(f"{path}: concept_contract → file", f"cannot be read: {exc.strerror}") from None
    if not found:
        raise InputError(f"{path}: concept_contract → file", f"no such file: {concept}")

    for lot in tender.lots:
        rules_from_tender(tender, lot.id, path=str(path))
    return tender
