"""The bad-input matrix: every ambiguous or impossible input the command line must refuse.

Each case is one invocation with what it must do: its exit code, words its message must
contain, exactly one line on stderr, no more than 80 characters of what was typed echoed
back, and (on SQLite) no advice to check a database server. The same cases run in-process
under pytest (test_bad_input_matrix.py) and as real processes against any source tree
(bad_input_report.py), so a before/after count compares like with like.

Placeholders in arguments: {code} an existing batch; {new} a code not yet registered;
{url} the test database; {tmp} a scratch folder; {textfile} a text file;
{readonly} the test SQLite file opened read-only.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

CODE = "SCH-20251204-0001"
PLANT_ZONE = "Europe/Berlin"
LITRES_HINT = "write 1000 or 1000.5"
LONG = "9" * 10_000
LONG_TEXT = "x" * 10_000
MAX_ECHO = 80
BOTH = ("sqlite", "postgres")
SQLITE_ONLY = ("sqlite",)

_codes = itertools.count(2)


@dataclass(frozen=True)
class Case:
    name: str
    args: tuple[str, ...]
    exit: int
    says: tuple[str, ...] = ()
    url: str = "{url}"
    kinds: tuple[str, ...] = BOTH
    # A special per-PC home: "log_dir_is_file" or "log_to_full_disk".
    home: str | None = None
    # For exit 0: how many lines stderr may carry (e.g. one warning).
    warnings: int = 0
    new_code: str = field(default_factory=lambda: f"SCH-20251204-{next(_codes):04d}")


def _register(liters: str = "10", days: str = "5", *extra: str) -> tuple[str, ...]:
    return (
        "batches",
        "register",
        "--code",
        "{new}",
        "--liters",
        liters,
        "--shelf-life-days",
        days,
        *extra,
    )


def _consume(liters: str = "1", *extra: str, code: str = "{code}") -> tuple[str, ...]:
    return ("batches", "consume", code, "--liters", liters, *extra)


def _litres_cases() -> list[Case]:
    cases = []
    for text in (
        "1,000",
        "1.000,5",
        "1_000",
        "1 000",
        "١٠٠٠",
        "１０００",
        "1e3",
        "12,5",
        "+5",
        "0x10",
        "1.5.0",
        "NaN",
        "Infinity",
        "5L",
    ):
        cases.append(Case(f"register litres {text!r}", _register(text), 2, (LITRES_HINT,)))
    for text in ("1,000", "1.000,5", "1_000", "٣", "2e0"):
        cases.append(Case(f"consume litres {text!r}", _consume(text), 2, (LITRES_HINT,)))
    cases += [
        Case("register litres empty", _register(""), 2, ("litres",)),
        Case("register litres negative", _register("-5"), 2, ("litres",)),
        Case("register litres 10,000 digits", _register(LONG), 2, ("litres",)),
        Case("consume litres 10,000 chars", _consume(LONG_TEXT), 2, ("litres",)),
        Case("register litres plain", _register("1000.5"), 0),
        Case("consume litres plain", _consume("0.5"), 0),
    ]
    return cases


def _integer_cases() -> list[Case]:
    return [
        Case("shelf life arabic-indic", _register("10", "٥"), 2, ("shelf life",)),
        Case("shelf life fullwidth", _register("10", "５"), 2, ("shelf life",)),
        Case("shelf life decimal", _register("10", "5.0"), 2, ("shelf life",)),
        Case("shelf life underscore", _register("10", "1_0"), 2, ("shelf life",)),
        Case("shelf life plus sign", _register("10", "+5"), 2, ("shelf life",)),
        Case("shelf life huge", _register("10", "9" * 30), 2, ("shelf life",)),
        Case("shelf life 10,000 chars", _register("10", LONG_TEXT), 2, ("shelf life",)),
        Case("fat arabic-indic", _register("10", "5", "--fat", "٣"), 2, ("fat",)),
        Case("fat 10,000 chars", _register("10", "5", "--fat", LONG_TEXT), 2, ("fat",)),
        Case(
            "version 2^63 (SQLite overflow)",
            _consume("1", "--expect-version", "9223372036854775808"),
            2,
            ("version",),
        ),
        Case("version 2^31", _consume("1", "--expect-version", "2147483648"), 2, ("version",)),
        Case("version arabic-indic", _consume("1", "--expect-version", "١"), 2, ("version",)),
        Case("version negative", _consume("1", "--expect-version", "-1"), 2, ("version",)),
        Case("version 10,000 digits", _consume("1", "--expect-version", LONG), 2, ("version",)),
        Case("near-expiry days arabic-indic", ("near-expiry", "--days", "٣"), 2, ("days",)),
        Case("near-expiry days huge", ("near-expiry", "--days", "9" * 30), 2, ("days",)),
        Case("near-expiry days negative", ("near-expiry", "--days", "-1"), 2, ("days",)),
    ]


def _time_cases() -> list[Case]:
    def received(text: str) -> tuple[str, ...]:
        return _register("10", "5", "--received", text)

    return [
        Case("received year 1 +01:00", received("0001-01-01T00:00:00+01:00"), 2, ("time",)),
        Case("received year 9999 -01:00", received("9999-12-31T23:59:59-01:00"), 2, ("time",)),
        Case("received year 1 local", received("0001-01-01T00:00:00"), 2, ("time",)),
        Case("received year 9999 local", received("9999-12-31T23:59:59"), 2, ("time",)),
        Case("received 1900", received("1900-01-01T00:00:00Z"), 2, ("time",)),
        Case("received in the DST gap", received("2025-03-30T02:30"), 2, ("does not exist",)),
        Case("received in the DST overlap", received("2025-10-26T02:30"), 2, ("twice",)),
        Case("received overlap with offset", received("2025-10-26T02:30+01:00"), 0, warnings=1),
        Case("received arabic-indic digits", received("٢٠٢٥-12-04T06:30"), 2, ("time",)),
        Case("received 10,000 chars", received(LONG_TEXT), 2, ("time",)),
        Case("received undecodable", received("2025-12-04T06:30\udcff"), 2, ("time",)),
    ]


def _text_cases() -> list[Case]:
    def lifecycle(action: str, code: str, reason: str = "sour") -> tuple[str, ...]:
        return ("batches", action, code, "--reason", reason)

    return [
        Case("consume undecodable code", _consume("1", code="\udcff"), 2, ("code",)),
        Case("consume 10,000-char code", _consume("1", code=LONG_TEXT), 2, ("code",)),
        Case("consume empty code", _consume("1", code=""), 2, ("code",)),
        Case("consume code with GS", _consume("1", code="SCH\x1d1"), 2, ("code",)),
        Case("consume code with tab inside", _consume("1", code="SCH\t1"), 2, ("code",)),
        Case("delete 10,000-char code", lifecycle("delete", LONG_TEXT), 2, ("code",)),
        Case("delete undecodable code", lifecycle("delete", "\udcff"), 2, ("code",)),
        Case("restore 10,000-char code", lifecycle("restore", LONG_TEXT), 2, ("code",)),
        Case("restore undecodable code", lifecycle("restore", "\udcff"), 2, ("code",)),
        Case(
            "register undecodable code",
            ("batches", "register", "--code", "\udcff", "--liters", "1", "--shelf-life-days", "5"),
            2,
            ("code",),
        ),
        Case(
            "register 10,000-char code",
            ("batches", "register", "--code", LONG_TEXT, "--liters", "1", "--shelf-life-days", "5"),
            2,
            ("code",),
        ),
        Case("unknown code is not found", _consume("1", code="SCH-20991231-9999"), 4),
        Case("order undecodable", _consume("1", "--order", "\udcff"), 2, ("order",)),
        Case("order 10,000 chars", _consume("1", "--order", LONG_TEXT), 2, ("order",)),
        Case("reason undecodable", lifecycle("delete", "{code}", "\udcff"), 2, ("reason",)),
        Case("reason empty", lifecycle("delete", "{code}", ""), 2, ("reason",)),
        Case("reason 10,000 chars", lifecycle("delete", "{code}", LONG_TEXT), 2, ("reason",)),
        Case("operator undecodable", ("--operator", "\udcff", *_consume("1")), 2, ("operator",)),
        Case("status unknown", ("batches", "list", "--status", LONG_TEXT), 2, ("status",)),
        Case(
            "request id with a space", (*_consume("1"), "--request-id", "a b"), 2, ("request id",)
        ),
        Case("request id 65 chars", (*_consume("1"), "--request-id", "a" * 65), 2, ("request id",)),
        Case(
            "request id 10,000 chars",
            (*_consume("1"), "--request-id", LONG_TEXT),
            2,
            ("request id",),
        ),
    ]


def _lifecycle_cases() -> list[Case]:
    def qa(*extra: str, result: str = "pass", test: str = "beta-lactam") -> tuple[str, ...]:
        return ("batches", "qa", "{code}", "--test", test, "--result", result, *extra)

    def dispose(*extra: str) -> tuple[str, ...]:
        return ("batches", "dispose", "{code}", *extra)

    lab = ("--analyst", "lab")
    return [
        Case("temperature comma", _register("10", "5", "--temperature", "4,5"), 2, ("°C",)),
        Case("temperature arabic-indic", _register("10", "5", "--temperature", "٤"), 2, ("°C",)),
        Case("temperature two places", _register("10", "5", "--temperature", "4.55"), 2, ("one",)),
        Case("temperature too hot", _register("10", "5", "--temperature", "40.1"), 2, ("40.0",)),
        Case("temperature 10,000 chars", _register("10", "5", "--temperature", LONG), 2, ("°C",)),
        Case("temperature exponent", _register("10", "5", "--temperature", "1E1"), 2, ("°C",)),
        Case("temperature 1e400", _register("10", "5", "--temperature", "1e400"), 2, ("°C",)),
        Case("temperature warm", _register("10", "5", "--temperature", "9"), 0, warnings=1),
        Case(
            "supplier undecodable", _register("10", "5", "--supplier", "\udcff"), 2, ("supplier",)
        ),
        Case(
            "supplier 10,000 chars", _register("10", "5", "--supplier", LONG_TEXT), 2, ("supplier",)
        ),
        Case("seal 10,000 chars", _register("10", "5", "--seal", LONG_TEXT), 2, ("seal",)),
        Case("qa result unknown", qa(*lab, result="positive"), 2, ("pass or fail",)),
        Case("qa result 10,000 chars", qa(*lab, result=LONG_TEXT), 2, ("pass or fail",)),
        Case("qa test name with spaces only", qa(*lab, test="  "), 2, ("test name",)),
        Case("qa test name 10,000 chars", qa(*lab, test=LONG_TEXT), 2, ("test name",)),
        Case("qa analyst empty", qa("--analyst", " "), 2, ("analyst",)),
        Case("qa analyst missing", qa(), 2, ("--analyst",)),
        Case(
            "qa unknown code",
            ("batches", "qa", "SCH-20991231-9999", "--test", "x", "--result", "pass", *lab),
            4,
        ),
        Case("hold reason empty", ("batches", "hold", "{code}", "--reason", ""), 2, ("reason",)),
        Case("release not held", ("batches", "release", "{code}", "--reason", "x"), 5, ("hold",)),
        Case(
            "recall 10,000-char code",
            ("batches", "recall", LONG_TEXT, "--reason", "x"),
            2,
            ("code",),
        ),
        Case("dispose reason unknown", dispose("--all", "--reason-code", "gone"), 2, ("choice",)),
        Case("dispose reason 10,000 chars", dispose("--all", "--reason-code", LONG_TEXT), 2),
        Case(
            "dispose other without note", dispose("--all", "--reason-code", "other"), 2, ("note",)
        ),
        Case(
            "dispose litres and all",
            dispose("--all", "--liters", "1", "--reason-code", "spillage"),
            2,
            ("not allowed with",),
        ),
        Case(
            "dispose litres comma",
            dispose("--liters", "1,5", "--reason-code", "spillage"),
            2,
            (LITRES_HINT,),
        ),
        Case(
            "dispose too much",
            dispose("--liters", "1000.001", "--reason-code", "spillage"),
            5,
            ("only 1000.000 L remain",),
        ),
        Case(
            "reverse id not a number",
            ("audit", "reverse", "twelve", "--reason", "x"),
            2,
            ("event id",),
        ),
        Case(
            "reverse id 10,000 digits",
            ("audit", "reverse", LONG, "--reason", "x"),
            2,
            ("event id",),
        ),
        Case("reverse id zero", ("audit", "reverse", "0", "--reason", "x"), 2, ("event id",)),
        Case("reverse unknown id", ("audit", "reverse", "999999", "--reason", "x"), 4, ("999999",)),
        Case(
            "reverse the registration",
            ("audit", "reverse", "1", "--reason", "x"),
            5,
            ("only a consume",),
        ),
    ]


def _url_cases() -> list[Case]:
    listing = ("batches", "list")
    return [
        Case("url empty", listing, 2, ("database url",), url="", kinds=SQLITE_ONLY),
        Case("url blank", listing, 2, ("database url",), url="  ", kinds=SQLITE_ONLY),
        Case("url sqlite://", listing, 2, ("memory",), url="sqlite://", kinds=SQLITE_ONLY),
        Case("url sqlite:///", listing, 2, ("memory",), url="sqlite:///", kinds=SQLITE_ONLY),
        Case("url :memory:", listing, 2, ("memory",), url="sqlite:///:memory:", kinds=SQLITE_ONLY),
        Case(
            "url missing folder",
            listing,
            2,
            ("does not exist",),
            url="sqlite:///{tmp}/no/such/dir/x.db",
            kinds=SQLITE_ONLY,
        ),
        Case("url is a folder", listing, 2, ("folder",), url="sqlite:///{tmp}", kinds=SQLITE_ONLY),
        Case(
            "url foo://", listing, 2, ("sqlite", "postgresql"), url="foo://bar", kinds=SQLITE_ONLY
        ),
        Case(
            "url mysql://",
            listing,
            2,
            ("sqlite", "postgresql"),
            url="mysql://u@h/d",
            kinds=SQLITE_ONLY,
        ),
        Case(
            "url postgres://",
            listing,
            2,
            ("postgresql",),
            url="postgres://u@h/d",
            kinds=SQLITE_ONLY,
        ),
        Case(
            "url not a url",
            listing,
            2,
            ("sqlite", "postgresql"),
            url="not a url",
            kinds=SQLITE_ONLY,
        ),
        Case(
            "url 10,000 chars",
            listing,
            2,
            ("sqlite", "postgresql"),
            url="foo://" + LONG_TEXT,
            kinds=SQLITE_ONLY,
        ),
        Case(
            "url text file",
            listing,
            6,
            ("not a database",),
            url="sqlite:///{textfile}",
            kinds=SQLITE_ONLY,
        ),
        Case(
            "url read-only file",
            _consume("1"),
            6,
            ("read-only",),
            url="{readonly}",
            kinds=SQLITE_ONLY,
        ),
        Case(
            "url no server",
            listing,
            6,
            ("database",),
            url="postgresql://u@127.0.0.1:1/d",
            kinds=SQLITE_ONLY,
        ),
    ]


def _logging_cases() -> list[Case]:
    return [
        Case(
            "log folder unwritable",
            ("batches", "list"),
            0,
            ("log",),
            home="log_dir_is_file",
            warnings=1,
            kinds=SQLITE_ONLY,
        ),
        Case(
            "log disk full",
            _consume("1"),
            0,
            ("log",),
            home="log_to_full_disk",
            warnings=1,
            kinds=SQLITE_ONLY,
        ),
    ]


CASES: list[Case] = [
    *_litres_cases(),
    *_integer_cases(),
    *_time_cases(),
    *_text_cases(),
    *_lifecycle_cases(),
    *_url_cases(),
    *_logging_cases(),
]


def fill(text: str, case: Case, places: dict[str, str]) -> str:
    for key, value in {**places, "code": CODE, "new": case.new_code}.items():
        text = text.replace("{" + key + "}", value)
    return text


def problems(case: Case, args: list[str], url: str, code: int, out: str, err: str) -> list[str]:
    """What the outcome got wrong; empty when the case passes."""
    found = []
    lines = [line for line in err.splitlines() if line.strip()]
    if code != case.exit:
        found.append(f"exit {code}, wanted {case.exit}")
    for words in case.says:
        if words.casefold() not in err.casefold():
            found.append(f"stderr does not say {words!r}")
    allowed = 1 if case.exit != 0 else case.warnings
    if len(lines) != allowed and (case.exit != 0 or case.warnings):
        found.append(f"{len(lines)} lines on stderr, wanted {allowed}")
    if case.exit == 0 and not case.warnings and lines:
        found.append(f"{len(lines)} unexpected lines on stderr")
    if "Traceback" in err:
        found.append("a traceback")
    for typed in [*args, url]:
        if len(typed) > MAX_ECHO and typed[: MAX_ECHO + 1] in out + err:
            found.append(f"echoes more than {MAX_ECHO} characters of the input")
            break
    if "sqlite" in url and "server is running" in err:
        found.append("blames a database server for an SQLite file")
    return found
