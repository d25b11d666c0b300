"""`dairy-desktop simulate`: the command-line face of the workstation simulator."""

from __future__ import annotations

import argparse

from dairy_desktop.cli.exit_codes import EXIT_FAILED, EXIT_OK
from dairy_desktop.cli.output import JSON_HELP, print_error, print_json
from dairy_desktop.config.local_settings import resolve_database_url
from dairy_desktop.simulate.config import SimulationConfig


def cmd_simulate(args: argparse.Namespace) -> int:
    # SQLAlchemy (the simulator runs on a database): only when this command runs.
    from dairy_desktop.simulate.report import render_text, summary
    from dairy_desktop.simulate.run import run_simulation

    config = SimulationConfig(
        url=resolve_database_url(args.database_url),
        workstations=args.workstations,
        duration_s=args.duration,
        seed=args.seed,
        batches=args.batches,
    )
    result = run_simulation(config)
    data = summary(result)
    if args.json:
        print_json(data)
    else:
        print(render_text(data))
    if result.passed:
        return EXIT_OK
    names = "; ".join(check.name for check in result.failed)
    print_error(f"simulate: {len(result.failed)} check(s) failed: {names}")
    return EXIT_FAILED


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    simulate = commands.add_parser(
        "simulate",
        help="several PCs as processes on one (scratch) database, behind the QA gate (which "
        "the run switches on), then a consistency check",
    )
    simulate.add_argument(
        "--workstations",
        type=int,
        required=True,
        metavar="N",
        help="PCs to simulate, one process each",
    )
    simulate.add_argument(
        "--duration", type=float, required=True, metavar="S", help="how long they work, in seconds"
    )
    simulate.add_argument(
        "--seed", type=int, default=0, metavar="K", help="same seed, same choices (default: 0)"
    )
    simulate.add_argument(
        "--batches", type=int, default=10, metavar="B", help="batches to start with (default: 10)"
    )
    simulate.add_argument("--json", action="store_true", help=JSON_HELP)
    simulate.set_defaults(handler=cmd_simulate)
