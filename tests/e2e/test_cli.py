"""The command line contract: commands, JSON keys, exit codes, one clear line on stderr."""

from __future__ import annotations

import pytest

from dairy_desktop.services.serialize import AUDIT_KEYS
from tests.e2e.cli_runner import Outcome, run_cli, run_process

CODE = "SCH-20251204-0001"
BATCH_KEYS = {
    "code",
    "received_at",
    "expires_at",
    "shelf_life_days",
    "initial_liters",
    "remaining_liters",
    "fat_percent",
    "status",
    "version",
    "supplier",
    "tanker",
    "seal",
    "temperature_c",
    "temperature_over_limit",
    "qa_state",
    "reserved_liters",
    "available_liters",
}


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], database_url: str):  # type: ignore[no-untyped-def]
    def run(*args: str) -> Outcome:
        return run_cli(capsys, database_url, *args)

    return run


def register(cli, code: str = CODE, liters: str = "1000") -> Outcome:  # type: ignore[no-untyped-def]
    return cli(
        "batches",
        "register",
        "--code",
        code,
        "--liters",
        liters,
        "--shelf-life-days",
        "5",
        "--fat",
        "3.5",
        "--json",
    )


def snapshot(cli) -> tuple[object, object]:  # type: ignore[no-untyped-def]
    return (
        cli("batches", "list", "--json", "--include-deleted").json(),
        cli("audit", "--json").json(),
    )


def test_register_consume_list_and_audit_speak_the_json_contract(cli) -> None:  # type: ignore[no-untyped-def]
    registered = register(cli)
    assert registered.code == 0
    batch = registered.json()
    assert set(batch) == BATCH_KEYS
    assert (batch["remaining_liters"], batch["fat_percent"], batch["status"], batch["version"]) == (
        "1000.000",
        "3.50",
        "fresh",
        1,
    )
    assert batch["received_at"].endswith("Z")
    assert batch["expires_at"].endswith("Z")

    consumed = cli(
        "batches",
        "consume",
        CODE,
        "--liters",
        "0.1",
        "--order",
        "ORDER-20251204-1234",
        "--expect-version",
        "1",
        "--json",
    )
    assert consumed.code == 0
    assert (consumed.json()["remaining_liters"], consumed.json()["version"]) == ("999.900", 2)

    [listed] = cli("batches", "list", "--json").json()
    assert listed == consumed.json()
    events = cli("audit", "--batch", CODE, "--json").json()
    assert [list(e) for e in events] == [list(AUDIT_KEYS), list(AUDIT_KEYS)]
    assert [
        (e["action"], e["liters"], e["remaining_after"], e["version_after"]) for e in events
    ] == [("register", "1000.000", "1000.000", 1), ("consume", "0.100", "999.900", 2)]
    assert events[1]["order_id"] == "ORDER-20251204-1234"
    assert events[1]["operator"] == "ann"


def test_delete_restore_and_status_filters(cli) -> None:  # type: ignore[no-untyped-def]
    register(cli)
    assert cli("batches", "delete", CODE, "--reason", "sour").code == 0
    assert cli("batches", "list", "--json").json() == []
    [deleted] = cli("batches", "list", "--json", "--status", "deleted").json()
    assert deleted["status"] == "deleted"
    assert cli("batches", "restore", CODE, "--reason", "mistake").code == 0
    assert [b["code"] for b in cli("batches", "list", "--json", "--status", "fresh").json()] == [
        CODE
    ]
    assert cli("near-expiry", "--days", "30", "--json").json()[0]["code"] == CODE
    assert cli("near-expiry", "--days", "1", "--json").json() == []


def test_a_reason_full_of_quotes_and_semicolons_is_stored_and_shown_verbatim(cli) -> None:  # type: ignore[no-untyped-def]
    register(cli)
    reason = """it's "off"; DROP TABLE batches; -- \\ ' " ;"""
    assert cli("batches", "delete", CODE, "--reason", reason).code == 0
    assert cli("audit", "--json").json()[-1]["reason"] == reason


@pytest.mark.parametrize(
    ("args", "exit_code"),
    [
        (["batches", "register", "--code", "", "--liters", "1", "--shelf-life-days", "5"], 2),
        (
            [
                "batches",
                "register",
                "--code",
                "sch-20251204-0002",
                "--liters",
                "1",
                "--shelf-life-days",
                "5",
            ],
            2,
        ),
        (
            [
                "batches",
                "register",
                "--code",
                "SCH-20251204-00020",
                "--liters",
                "1",
                "--shelf-life-days",
                "5",
            ],
            2,
        ),
        (
            ["batches", "register", "--code", "S" * 200, "--liters", "1", "--shelf-life-days", "5"],
            2,
        ),
        (
            [
                "batches",
                "register",
                "--code",
                "SCH-20251204-0002",
                "--liters",
                "NaN",
                "--shelf-life-days",
                "5",
            ],
            2,
        ),
        (
            [
                "batches",
                "register",
                "--code",
                "SCH-20251204-0002",
                "--liters",
                "inf",
                "--shelf-life-days",
                "5",
            ],
            2,
        ),
        (
            [
                "batches",
                "register",
                "--code",
                "SCH-20251204-0002",
                "--liters",
                "1",
                "--shelf-life-days",
                "0",
            ],
            2,
        ),
        (
            [
                "batches",
                "register",
                "--code",
                "SCH-20251204-0002",
                "--liters",
                "1",
                "--shelf-life-days",
                "31",
            ],
            2,
        ),
        (
            [
                "batches",
                "register",
                "--code",
                "SCH-20251204-0002",
                "--liters",
                "1",
                "--shelf-life-days",
                "5",
                "--received",
                "2999-01-01T00:00:00Z",
            ],
            2,
        ),
        (
            [
                "batches",
                "register",
                "--code",
                "SCH-20251204-0002",
                "--liters",
                "1",
                "--shelf-life-days",
                "5",
                "--received",
                "yesterday",
            ],
            2,
        ),
        (["batches", "register", "--code", CODE, "--liters", "1", "--shelf-life-days", "5"], 5),
        (["batches", "consume", CODE, "--liters", "-1"], 2),
        (["batches", "consume", CODE, "--liters", "0"], 2),
        (["batches", "consume", CODE, "--liters", "1e400"], 2),
        (["batches", "consume", CODE, "--liters", "0.0001"], 2),
        (["batches", "consume", CODE, "--liters", "nan"], 2),
        (
            [
                "batches",
                "consume",
                CODE,
                "--liters",
                "1",
                "--order",
                "ORDER-1'; DROP TABLE batches;--",
            ],
            2,
        ),
        (["batches", "consume", CODE, "--liters", "1001"], 5),
        (["batches", "consume", CODE, "--liters", "1", "--expect-version", "7"], 3),
        (["batches", "consume", CODE, "--liters", "1", "--expect-version", "x"], 2),
        (["batches", "consume", "SCH-20251204-0999", "--liters", "1"], 4),
        (["batches", "delete", CODE, "--reason", ""], 2),
        (["batches", "restore", CODE, "--reason", "not deleted"], 5),
        (["batches", "list", "--status", "mouldy"], 2),
        (["audit", "--batch", "SCH-20251204-0999"], 4),
        (["audit", "--batch", "NOPE", "--json"], 4),
        (["audit", "--batch", " "], 2),
        (["near-expiry", "--days", "-3"], 2),
        (["batches", "frobnicate"], 2),
    ],
)
def test_bad_input_gets_its_exit_code_one_line_and_changes_nothing(
    cli, args: list[str], exit_code: int
) -> None:  # type: ignore[no-untyped-def]
    register(cli)
    before = snapshot(cli)
    outcome = cli(*args)
    assert outcome.code == exit_code
    assert outcome.err.startswith("dairy-desktop: ")
    assert outcome.err.count("\n") == 1
    assert outcome.out == ""
    assert snapshot(cli) == before


def test_audit_of_a_batch_that_does_not_exist_is_not_found_not_empty(cli) -> None:  # type: ignore[no-untyped-def]
    register(cli)
    missing = cli("audit", "--batch", "NOPE")
    assert (missing.code, missing.out) == (4, "")
    assert (
        missing.err
        == "dairy-desktop: No batch with code 'NOPE'. Check the code, or register the delivery first.\n"
    )
    # A batch that exists (deleted or not) answers its events; one not sent with the given
    # request id answers none, and that is not "not found".
    assert cli("batches", "delete", CODE, "--reason", "spilt").code == 0
    listed = cli("audit", "--batch", CODE, "--json")
    assert listed.code == 0
    assert [e["action"] for e in listed.json()] == ["register", "delete"]
    unsent = cli("audit", "--batch", CODE, "--request-id", "never-sent", "--json")
    assert (unsent.code, unsent.json()) == (0, [])


def test_non_utf8_bytes_on_the_command_line_are_refused(database_url: str) -> None:
    assert run_process(database_url, "migrate").returncode == 0
    for args in (
        [
            b"batches",
            b"register",
            b"--code",
            b"SCH-\xff\xfe-0001",
            b"--liters",
            b"1",
            b"--shelf-life-days",
            b"5",
        ],
        [b"batches", b"consume", b"SCH-20251204-0001", b"--liters", b"1\xff"],
    ):
        result = run_process(database_url, *args)
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith(b"dairy-desktop: ")
    listed = run_process(database_url, "batches", "list", "--json")
    assert listed.stdout.strip() == b"[]"


def test_an_unreachable_database_exits_6_quickly(capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    outcome = run_cli(capsys, f"postgresql://x@127.0.0.1:{port}/x", "batches", "list")
    assert outcome.code == 6
    assert "Database unavailable" in outcome.err


def test_migrate_reports_the_schema_and_version_prints(
    capsys: pytest.CaptureFixture[str], database_url: str
) -> None:
    outcome = run_cli(capsys, database_url, "migrate")
    assert outcome.code == 0
    assert "already up to date" in outcome.out
    outcome = run_cli(capsys, database_url, "--version")
    assert outcome.out.strip()
