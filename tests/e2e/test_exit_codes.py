"""The refusals carry the exit codes the command line documents (cli/exit_codes.py)."""

from __future__ import annotations

import pytest

from dairy_desktop.cli import exit_codes
from dairy_desktop.domain import errors


@pytest.mark.parametrize(
    ("refusal", "code"),
    [
        (errors.DairyError, exit_codes.EXIT_UNEXPECTED),
        (errors.InvalidInput, exit_codes.EXIT_INVALID),
        (errors.VersionConflict, exit_codes.EXIT_VERSION_CONFLICT),
        (errors.NotFound, exit_codes.EXIT_NOT_FOUND),
        (errors.RuleRefused, exit_codes.EXIT_RULE_REFUSED),
        (errors.DuplicateCode, exit_codes.EXIT_RULE_REFUSED),
        (errors.DatabaseUnavailable, exit_codes.EXIT_DATABASE),
        (errors.SchemaTooNew, exit_codes.EXIT_DATABASE),
        (errors.OutcomeUnknown, exit_codes.EXIT_OUTCOME_UNKNOWN),
    ],
)
def test_refusal_exit_code_matches_the_contract(
    refusal: type[errors.DairyError], code: int
) -> None:
    assert refusal.exit_code == code


def test_contract_numbers_never_change() -> None:
    assert (
        exit_codes.EXIT_OK,
        exit_codes.EXIT_FAILED,
        exit_codes.EXIT_INVALID,
        exit_codes.EXIT_VERSION_CONFLICT,
        exit_codes.EXIT_NOT_FOUND,
        exit_codes.EXIT_RULE_REFUSED,
        exit_codes.EXIT_DATABASE,
        exit_codes.EXIT_OUTCOME_UNKNOWN,
        exit_codes.EXIT_AUDIT_MISMATCH,
        exit_codes.EXIT_INTERRUPTED,
    ) == (0, 1, 2, 3, 4, 5, 6, 7, 8, 130)


def _all_refusals(base: type[errors.DairyError]) -> list[type[errors.DairyError]]:
    return [base, *(r for sub in base.__subclasses__() for r in _all_refusals(sub))]


def test_every_refusal_code_is_explained_in_every_help() -> None:
    # Imported for its refusal (PrintFailed) to be among the subclasses.
    import dairy_desktop.cli.printing  # noqa: F401

    explained = dict(exit_codes.MEANINGS)
    refusals = _all_refusals(errors.DairyError)
    assert len(refusals) > 10
    assert {r.__name__: r.exit_code for r in refusals if r.exit_code not in explained} == {}
