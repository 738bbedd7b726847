"""Qualification: knock-out and scored criteria as data, supplier responses, and the verdicts that admit suppliers.

The organiser loads the criteria (:func:`qualification.criteria_file.load_criteria`) and the responses
(:func:`qualification.responses.load_responses`), evaluates them on a given date
(:func:`qualification.evaluation.evaluate_all`), and invites the suppliers on the
:func:`qualification.admission.admission_list`, whose :func:`~qualification.admission.admission_hash` freezes it.
Every verdict carries its reasons per criterion. File formats and evaluation rules: ``docs/qualification.md``.

This package knows nothing of auctions: :mod:`auction` uses it, never the reverse. What both share is in
:mod:`qualification.common`.
"""
