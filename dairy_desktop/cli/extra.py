"""Commands beyond the batch basics (printing, self-check, simulation) register here."""

from __future__ import annotations

from typing import Any


def register_extra_commands(commands: Any) -> None:
    """Each feature module adds its own sub-command; kept apart so the core CLI stays small."""
    from dairy_desktop.cli.self_check import register_self_check

    register_self_check(commands)

    from dairy_desktop.cli.printing import register_printing_commands

    register_printing_commands(commands)

    from dairy_desktop.cli.simulate import register_simulate_command

    register_simulate_command(commands)
