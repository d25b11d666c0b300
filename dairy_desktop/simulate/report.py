"""What a run did, in numbers: per-operation outcomes, throughput and latency percentiles,
conflicts and refusals; as a small table or one JSON object (keys listed in the README)."""

from __future__ import annotations

import statistics
from collections import Counter
from typing import Any

from dairy_desktop.domain.liters import format_liters, from_milliliters
from dairy_desktop.simulate.run import SimulationResult
from dairy_desktop.simulate.tally import AUDITED, OPERATIONS, ORDER_AUDITED, Tally

COLUMNS = ("calls", "ok", "conflicts", "refused", "per_s", "p50_ms", "p95_ms")
# Submitted with the version the dialog showed.
VERSIONED = (
    "consume",
    "delete",
    "restore",
    "qa",
    "hold",
    "release",
    "recall",
    "dispose",
    "reverse",
)


def _percentiles_ms(latencies: list[float]) -> tuple[float | None, float | None]:
    if not latencies:
        return None, None
    if len(latencies) == 1:
        only = round(latencies[0] * 1000, 1)
        return only, only
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return round(cuts[49] * 1000, 1), round(cuts[94] * 1000, 1)


def _sum(tallies: list[Tally], attribute: str) -> Counter[str]:
    total: Counter[str] = Counter()
    for tally in tallies:
        total.update(getattr(tally, attribute))
    return total


def summary(result: SimulationResult) -> dict[str, Any]:
    tallies, elapsed = result.outcome.tallies, max(result.outcome.elapsed_s, 1e-9)
    ok, conflicts = _sum(tallies, "ok"), _sum(tallies, "conflicts")
    refused, unknown = _sum(tallies, "refused"), _sum(tallies, "unknown")
    operations: dict[str, dict[str, Any]] = {}
    for name in OPERATIONS:
        latencies = [x for tally in tallies for x in tally.latencies.get(name, [])]
        p50, p95 = _percentiles_ms(latencies)
        operations[name] = {
            "calls": len(latencies),
            "ok": ok[name],
            "conflicts": conflicts[name],
            "refused": refused[name],
            "unknown": unknown[name],
            "per_s": round(ok[name] / elapsed, 1),
            "p50_ms": p50,
            "p95_ms": p95,
        }
    versioned_calls = sum(operations[name]["calls"] for name in VERSIONED)
    changes = sum(ok[name] for name in (*AUDITED, *ORDER_AUDITED))
    return {
        "run": result.run,
        "database": result.database_kind,
        "workstations": result.config.workstations,
        "duration_s": result.config.duration_s,
        "elapsed_s": round(result.outcome.elapsed_s, 2),
        "seed": result.config.seed,
        "batches": result.config.batches,
        "operations": operations,
        "throughput_per_s": round(sum(ok.values()) / elapsed, 1),
        "changes_per_s": round(changes / elapsed, 1),
        "conflicts": sum(conflicts.values()),
        "conflict_rate": round(sum(conflicts.values()) / versioned_calls, 4)
        if versioned_calls
        else 0.0,
        "reloads": sum(t.reloads for t in tallies),
        "resubmits": sum(t.resubmits for t in tallies),
        "gave_up": sum(t.gave_up for t in tallies),
        "refusals": dict(sorted(_sum(tallies, "refusals").items())),
        "lifecycle": _lifecycle(result),
        "reservations": _reservations(result),
        "checks": [{"name": c.name, "passed": c.passed, "detail": c.detail} for c in result.checks],
        "passed": result.passed,
    }


def _lifecycle(result: SimulationResult) -> dict[str, Any]:
    """The QA gate the run worked behind, and what the lifecycle changes were by kind."""
    tallies = result.outcome.tallies
    return {
        "required_tests": list(result.required_tests),
        "kinds": dict(sorted(_sum(tallies, "kinds").items())),
        "disposed_liters": _liters(sum(t.disposed_ml for t in tallies)),
        "reversed_liters": _liters(sum(t.reversed_ml for t in tallies)),
    }


def _reservations(result: SimulationResult) -> dict[str, Any]:
    """What the orders promised, let go and were refused for other orders' litres."""
    tallies = result.outcome.tallies
    return {
        "reserved_liters": _liters(sum(t.reserved_ml for t in tallies)),
        "unreserved_liters": _liters(sum(t.unreserved_ml for t in tallies)),
        "events": dict(sorted(_sum(tallies, "lines").items())),
        "refused_as_reserved": dict(sorted(_sum(tallies, "refused_as_reserved").items())),
    }


def _liters(milliliters: int) -> str:
    return format_liters(from_milliliters(milliliters))


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    return str(value) if isinstance(value, int) else f"{value:.1f}"


def _lifecycle_line(lifecycle: dict[str, Any]) -> str:
    kinds = ", ".join(f"{k} {v}" for k, v in lifecycle["kinds"].items()) or "none"
    tests = ", ".join(lifecycle["required_tests"]) or "none"
    return (
        f"lifecycle (QA gate on, required: {tests}): {kinds}; disposed "
        f"{lifecycle['disposed_liters']} L, reversals put back {lifecycle['reversed_liters']} L"
    )


def _reservations_line(reservations: dict[str, Any]) -> str:
    events = ", ".join(f"{k} {v}" for k, v in reservations["events"].items()) or "none"
    refused = (
        ", ".join(f"{k} {v}" for k, v in reservations["refused_as_reserved"].items()) or "none"
    )
    return (
        f"orders: reserved {reservations['reserved_liters']} L, let go "
        f"{reservations['unreserved_liters']} L; events per batch: {events}; refused as "
        f"reserved for other orders: {refused}"
    )


def render_text(data: dict[str, Any]) -> str:
    lines = [
        f"Simulated {data['workstations']} workstations for {data['elapsed_s']:.1f} s on "
        f"{data['database']} (run {data['run']}, seed {data['seed']}, {data['batches']} "
        "batches to start with)",
        "",
    ]
    headers = ["operation", "calls", "ok", "conflicts", "refused", "per s", "p50 ms", "p95 ms"]
    rows = [[name, *(_number(s[k]) for k in COLUMNS)] for name, s in data["operations"].items()]
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    for row in [headers, ["-" * w for w in widths], *rows]:
        lines.append(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    refusals = ", ".join(f"{k} {v}" for k, v in data["refusals"].items()) or "none"
    lines += [
        "",
        f"throughput: {data['throughput_per_s']:.1f} operations/s, "
        f"{data['changes_per_s']:.1f} changes/s",
        f"conflicts: {data['conflicts']} ({data['conflict_rate']:.1%} of versioned submits); "
        f"reloads {data['reloads']}, resubmitted {data['resubmits']}, gave up {data['gave_up']}",
        f"refusals: {refusals}",
        _lifecycle_line(data["lifecycle"]),
        _reservations_line(data["reservations"]),
        "",
        "checks (straight from the database):",
    ]
    for check in data["checks"]:
        lines.append(
            f"  {'ok  ' if check['passed'] else 'FAIL'}  {check['name']}: {check['detail']}"
        )
    return "\n".join(lines)
