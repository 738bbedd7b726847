"""Qualification: knock-out criteria as data, supplier responses, and the verdicts that admit suppliers.

The organiser loads the criteria (:func:`load_criteria`) and the responses (:func:`load_responses`),
evaluates them on a given date (:func:`evaluate_all`), and invites the suppliers on the
:func:`admission_list`, whose :func:`admission_hash` freezes it. Every verdict carries its reasons per
criterion. File formats and evaluation rules: ``docs/qualification.md``.
"""

from qualification.admission import admission_hash, admission_list
from qualification.criteria import CriteriaSet, Criterion, load_criteria
from qualification.evaluation import Finding, Verdict, evaluate, evaluate_all
from qualification.responses import (
    Answer,
    Supplier,
    SupplierResponse,
    check_answers,
    load_response,
    load_responses,
)

__all__ = [
    "Answer",
    "CriteriaSet",
    "Criterion",
    "Finding",
    "Supplier",
    "SupplierResponse",
    "Verdict",
    "admission_hash",
    "admission_list",
    "check_answers",
    "evaluate",
    "evaluate_all",
    "load_criteria",
    "load_response",
    "load_responses",
]
