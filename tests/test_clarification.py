"""The clarification round: question deadline, answers, numbered notices, anonymity, criteria changes, rendering."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auction.documents.clarification_notice import render_notice_html, render_notice_markdown
from qualification.clarification import (
    MARKER,
    Notice,
    NoticeResult,
    Question,
    anonymise,
    answer_question,
    check_question_deadline,
    describe_criteria_changes,
    identities_of,
    next_notice,
    receive_question,
    supplier_identities,
)
from qualification.responses import Contact, Supplier

CEST = timezone(timedelta(hours=2))
DEADLINE = datetime(2026, 6, 15, 12, 0, tzinfo=CEST)
NOW = datetime(2026, 6, 20, 9, 0, tzinfo=CEST)
ISSUED = date(2026, 6, 22)

KLAVERVELD = Supplier(
    id="sup-klaverveld",
    name="Klaverveld Thuisvoeding B.V.",
    kvk="12345678",
    agb="87654321",
    contact=Contact(name="Jan de Vries", email="j.devries@klaverveld.nl"),
)
OOIEVAAR = Supplier(
    id="sup-ooievaar",
    name="Stichting Ooievaar Zorg",
    kvk="23456789",
    agb="98765432",
    contact=Contact(name="Petra Bakker", email="inkoop@ooievaarzorg.nl"),
)
IDENTITIES = {
    KLAVERVELD.id: supplier_identities(KLAVERVELD, others=["Klaverveld"]),
    OOIEVAAR.id: supplier_identities(OOIEVAAR),
}


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 6, day, hour, 0, tzinfo=CEST)


def question(number: int, supplier_id: str = KLAVERVELD.id, text: str = "Mag de levering in delen?") -> Question:
    return Question(number=number, supplier_id=supplier_id, received_at=at(10), text=text)


def answered(number: int, supplier_id: str = KLAVERVELD.id, text: str = "Mag de levering in delen?") -> Question:
    return answer_question(question(number, supplier_id, text), "Ja, in ten hoogste twee delen.", at(16))


def issue(
    questions: list[Question],
    changes: tuple[str, ...] = (),
    earlier: tuple[Notice, ...] = (),
    criteria_version: int | None = None,
    criteria_hash: str | None = None,
) -> NoticeResult:
    return next_notice(
        questions,
        changes,
        earlier=earlier,
        issued_on=ISSUED,
        tender_id="DV-2027",
        tender_title="Dieetvoeding 2027–2029",
        organiser="Zorginkoop Samen",
        identities=IDENTITIES,
        criteria_version=criteria_version,
        criteria_hash=criteria_hash,
    )


# ---------------------------------------------------------------------------------------------- deadline


def test_question_on_time_and_exactly_at_the_deadline_is_accepted() -> None:
    check_question_deadline(at(14), DEADLINE, NOW)
    check_question_deadline(DEADLINE, DEADLINE, NOW)
    # The same instant in another zone is the same moment.
    check_question_deadline(DEADLINE.astimezone(UTC), DEADLINE, NOW)


def test_question_after_the_deadline_is_refused() -> None:
    with pytest.raises(ValueError) as refused:
        check_question_deadline(at(16), DEADLINE, NOW)
    assert str(refused.value) == (
        "question received 2026-06-16 10:00 +02:00, after the question deadline 2026-06-15 12:00 +02:00"
    )


def test_question_in_the_future_is_refused() -> None:
    with pytest.raises(ValueError, match=r"in the future \(now is 2026-06-12 09:00 \+02:00\)"):
        check_question_deadline(at(14), DEADLINE, datetime(2026, 6, 12, 9, 0, tzinfo=CEST))


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        check_question_deadline(datetime(2026, 6, 14, 10, 0), DEADLINE, NOW)


def test_receive_question_numbers_in_order_and_checks_the_deadline() -> None:
    first = receive_question([], supplier_id="sup-a", received_at=at(11), text=" Vraag? ", deadline=DEADLINE, now=NOW)
    second = receive_question(
        [first], supplier_id="sup-b", received_at=at(12), text="Nog een?", deadline=DEADLINE, now=NOW
    )
    assert (first.number, first.text, second.number) == (1, "Vraag?", 2)
    with pytest.raises(ValueError, match="after the question deadline"):
        receive_question([first], supplier_id="sup-a", received_at=at(16), text="Te laat", deadline=DEADLINE, now=NOW)
    with pytest.raises(ValueError, match="not among the criteria"):
        receive_question(
            [],
            supplier_id="sup-a",
            received_at=at(11),
            text="Over DV-99",
            deadline=DEADLINE,
            now=NOW,
            criterion_id="DV-99",
            criterion_ids={"DV-01"},
        )


# --------------------------------------------------------------------------------------------- answering


def test_empty_answer_is_refused() -> None:
    with pytest.raises(ValueError, match="answer to question 1 is empty"):
        answer_question(question(1), "  \n ", at(16))


def test_answering_again_before_publication_replaces_the_answer() -> None:
    first = answer_question(question(1), "Nee.", at(16))
    second = answer_question(first, "Ja, na overleg.", at(17))
    assert (second.answer, second.answered_at) == ("Ja, na overleg.", at(17))


def test_re_answer_after_publication_is_refused() -> None:
    published = issue([answered(1)]).questions[0]
    assert published.notice == 1
    with pytest.raises(ValueError, match="already published in notice 1"):
        answer_question(published, "Toch anders.", at(18))


# ----------------------------------------------------------------------------------------------- notices


def test_unanswered_questions_are_held_back_for_a_later_notice() -> None:
    result = issue([answered(1), question(2), answered(3)])
    assert [q.number for q in result.notice.questions] == [1, 3]
    assert result.still_open == (2,) and result.open_count == 1
    assert [q.notice for q in result.questions] == [1, None, 1]

    later = answer_question(result.questions[1], "Nee.", at(18))
    second = issue([result.questions[0], later, result.questions[2]], earlier=(result.notice,))
    assert second.notice.number == 2
    assert [q.number for q in second.notice.questions] == [2]
    assert second.still_open == ()


def test_numbering_follows_the_notices_issued_before() -> None:
    first = issue([answered(1)])
    second = issue([*first.questions, answered(2)], earlier=(first.notice,))
    third = issue(
        list(second.questions),
        ("Criterium DV-02 is vervallen.",),
        earlier=(first.notice, second.notice),
        criteria_version=2,
        criteria_hash="ab" * 32,
    )
    assert (first.notice.number, second.notice.number, third.notice.number) == (1, 2, 3)
    assert third.notice.questions == ()


def test_empty_notice_is_refused() -> None:
    with pytest.raises(ValueError, match=r"nothing to publish in notice 1: .* \(1 still unanswered\)"):
        issue([question(1)])
    with pytest.raises(ValueError, match="nothing to publish in notice 2"):
        first = issue([answered(1)])
        issue(list(first.questions), earlier=(first.notice,))


def test_criteria_change_needs_version_and_hash() -> None:
    with pytest.raises(ValueError, match="give the new criteria version and hash"):
        issue([], ("Criterium DV-02 is vervallen.",))


def test_asker_without_identities_is_refused() -> None:
    with pytest.raises(ValueError, match="no identities given for supplier"):
        issue([answered(1, supplier_id="sup-unknown")])


# ------------------------------------------------------------------------------------------- anonymity


def test_identities_of_a_supplier() -> None:
    assert set(IDENTITIES[KLAVERVELD.id]) == {
        "sup-klaverveld",
        "Klaverveld Thuisvoeding B.V.",
        "Klaverveld Thuisvoeding",
        "Klaverveld",
        "12345678",
        "87654321",
        "Jan de Vries",
        "j.devries@klaverveld.nl",
        "klaverveld.nl",
    }
    assert "Ooievaar Zorg" in IDENTITIES[OOIEVAAR.id]
    assert identities_of(name="Zorg & Co V.O.F.") == ("Zorg & Co", "Zorg & Co V.O.F.")


def test_anonymise_name_short_name_and_case() -> None:
    ids = IDENTITIES[KLAVERVELD.id]
    assert anonymise("Wij, Klaverveld Thuisvoeding B.V., vragen:", ids) == f"Wij, {MARKER}, vragen:"
    assert anonymise("KLAVERVELD thuisvoeding bv levert", ids) == f"{MARKER} bv levert"
    assert anonymise("Als klaverveld leveren wij", ids) == f"Als {MARKER} leveren wij"
    assert anonymise("De Klaverveldzorg-lijn", ids) == f"De {MARKER}-lijn"


def test_anonymise_kvk_email_and_contact() -> None:
    ids = IDENTITIES[KLAVERVELD.id]
    assert anonymise("KvK 12345678, btw NL12345678B01", ids) == f"KvK {MARKER}, btw {MARKER}"
    assert anonymise("Mail J.DeVries@Klaverveld.nl.", ids) == f"Mail {MARKER}."
    assert anonymise("of info@klaverveld.nl", ids) == f"of {MARKER}"
    assert anonymise("Jan  de\nVries belt", ids) == f"{MARKER} belt"


def test_short_identity_only_as_a_whole_word() -> None:
    assert anonymise("ABC levert, fABCriek niet; abc.", ["ABC"]) == f"{MARKER} levert, fABCriek niet; {MARKER}."


def test_asker_never_appears_in_either_rendering() -> None:
    text = (
        "Wij (Klaverveld Thuisvoeding B.V., KvK 12345678, AGB 87654321, sup-klaverveld) vragen via "
        "j.devries@klaverveld.nl: geldt dit ook voor Ooievaar Zorg?"
    )
    result = issue([answered(1, text=text)])
    shown = result.notice.questions[0].text
    assert "Ooievaar" not in shown and "klaverveld" not in shown.lower()
    assert result.questions[0].text == text  # the organiser's record keeps the original wording
    for rendering in (render_notice_markdown(result.notice), render_notice_html(result.notice)):
        folded = rendering.casefold()
        for identity in (*IDENTITIES[KLAVERVELD.id], "Klaverveld", KLAVERVELD.id):
            assert identity.casefold() not in folded
        assert "ooievaar" not in folded
        assert "leverancier" in folded


def test_questions_appear_by_number_not_by_supplier() -> None:
    questions = [
        answered(1, OOIEVAAR.id, "Eerste vraag?"),
        answered(2, KLAVERVELD.id, "Tweede vraag?"),
        answered(3, OOIEVAAR.id, "Derde vraag?"),
    ]
    markdown = render_notice_markdown(issue(questions).notice)
    assert markdown.index("Vraag 1") < markdown.index("Vraag 2") < markdown.index("Vraag 3")
    assert "sup-" not in markdown


@st.composite
def texts_with_identity(draw: st.DrawFn) -> tuple[str, str]:
    identity = draw(
        st.text(st.characters(exclude_characters="[]"), min_size=4, max_size=30).filter(
            # Four characters or more, and not a piece of the marker itself ("leve" is in "[leverancier]").
            lambda value: len(" ".join(value.split())) >= 4 and value.casefold() not in MARKER
        )
    )
    before = draw(st.text(max_size=40))
    after = draw(st.text(max_size=40))
    cases: list[Callable[[str], str]] = [str, str.upper, str.lower, str.swapcase, str.title]
    case = draw(st.sampled_from(cases))
    return before + case(identity) + after, identity


@given(texts_with_identity(), st.lists(st.text(min_size=1, max_size=12), max_size=3))
def test_anonymise_never_leaves_the_identity(sample: tuple[str, str], others: list[str]) -> None:
    value, identity = sample
    out = anonymise(value, [identity, *others])
    assert identity.casefold() not in out.casefold()
    assert " ".join(identity.split()).casefold() not in out.casefold()


# ------------------------------------------------------------------------------------ criteria in words

OLD: list[dict[str, Any]] = [
    {"id": "DV-02", "question_nl": "Hoeveel dagen levertijd?", "kind": "knock-out", "min": "1", "max": "5"},
    {"id": "DV-07", "question_nl": "Levert u op zaterdag?", "kind": "knock-out", "expected": True},
    {"id": "KB-01", "question_nl": "Welke keurmerken?", "allowed": ["HKZ", "ISO 9001"], "weight": None},
]
NEW: list[dict[str, Any]] = [
    {"id": "KB-04", "question_nl": "Heeft u een\nklachtenregeling?", "kind": "knock-out", "expected": True},
    {"id": "KB-01", "question_nl": "Welke keurmerken?", "allowed": ("HKZ",), "weight": "2.5"},
    {"id": "DV-02", "question_nl": "Hoeveel dagen levertijd?", "kind": "scored", "min": 1, "max": "3"},
]


def test_criteria_changes_in_words() -> None:
    assert describe_criteria_changes(OLD, NEW) == (
        "Criterium DV-02 is gewijzigd: soort van knock-out naar gewogen; max van 5 naar 3.",
        "Criterium DV-07 is vervallen.",
        "Criterium KB-01 is gewijzigd: toegestane antwoorden van 'HKZ', 'ISO 9001' naar 'HKZ'; "
        "weging van (geen) naar 2,5.",
        "Criterium KB-04 is toegevoegd: Heeft u een klachtenregeling?",
    )
    assert describe_criteria_changes(OLD, list(reversed(OLD))) == ()
    assert describe_criteria_changes(
        [{"id": "DV-02", "question_nl": "?", "max": 5}], [{"id": "DV-02", "question_nl": "?", "max": 3}]
    ) == ("Criterium DV-02 is gewijzigd: max van 5 naar 3.",)


def test_criteria_without_id_or_repeated_id_are_refused() -> None:
    with pytest.raises(ValueError, match="has no id"):
        describe_criteria_changes([{"question_nl": "?"}], [])
    with pytest.raises(ValueError, match="DV-02 occurs more than once"):
        describe_criteria_changes([], [{"id": "DV-02", "question_nl": "?"}, {"id": "DV-02", "question_nl": "?"}])


# ------------------------------------------------------------------------------------------- rendering


def full_notice() -> Notice:
    questions = [
        answer_question(
            Question(
                number=1,
                supplier_id=KLAVERVELD.id,
                received_at=at(10),
                text="Klopt de eenheid bij DV-02?\n\nZie bijlage.",
                criterion_id="DV-02",
            ),
            "Ja.\n\nDe eenheid is werkdagen.",
            at(16),
        ),
        answered(2, OOIEVAAR.id, '# Kop | kolom <script>alert("x")</script> & meer'),
    ]
    return issue(questions, describe_criteria_changes(OLD, NEW), criteria_version=2, criteria_hash="0f" * 32).notice


def test_markdown_contents() -> None:
    markdown = render_notice_markdown(full_notice())
    assert markdown.startswith("# Nota van inlichtingen 1\n")
    for expected in (
        "Dieetvoeding 2027–2029",
        "DV-2027",
        "Zorginkoop Samen",
        "22 juni 2026",
        "maakt deel uit van de aanbestedingsstukken",
        "geanonimiseerd",
        "### Vraag 1 (criterium DV-02)",
        "### Vraag 2",
        "**Antwoord:** Ja.",
        "De eenheid is werkdagen.",
        "## Wijzigingen in de criteria",
        "Criterium DV-07 is vervallen.",
        "0f" * 32,
    ):
        assert expected in markdown
    # Data cannot make a heading or a table: "#" and "|" are escaped.
    assert "\\# Kop \\| kolom" in markdown
    assert "\n# Kop" not in markdown


def test_html_is_a_standalone_escaped_page() -> None:
    page = render_notice_html(full_notice())
    assert page.lower().startswith("<!doctype html>")
    assert '<html lang="nl">' in page and '<meta charset="utf-8">' in page and "<style>" in page
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; meer" in page
    assert "<h1>Nota van inlichtingen 1</h1>" in page
    assert "22 juni 2026" in page and "Wijzigingen in de criteria" in page


def test_notice_without_changes_has_no_criteria_section() -> None:
    notice = issue([answered(1)]).notice
    assert "Wijzigingen in de criteria" not in render_notice_markdown(notice)
    assert "Wijzigingen in de criteria" not in render_notice_html(notice)


def test_rendering_is_deterministic() -> None:
    assert render_notice_markdown(full_notice()).encode() == render_notice_markdown(full_notice()).encode()
    assert render_notice_html(full_notice()).encode() == render_notice_html(full_notice()).encode()
    assert Notice.model_validate_json(full_notice().model_dump_json()) == full_notice()
