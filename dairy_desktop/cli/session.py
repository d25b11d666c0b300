"""What every CLI command needs: the database (schema upgraded) and the acting operator."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from dairy_desktop.config.local_settings import resolve_database_url, resolve_operator
from dairy_desktop.services.actor import Actor, make_actor

if TYPE_CHECKING:
    from dairy_desktop.db.database import Database


def open_for(args: argparse.Namespace) -> Database:
    # SQLAlchemy: only when a command touches the database.
    from dairy_desktop.db.database import open_database

    return open_database(resolve_database_url(args.database_url))


def actor_for(args: argparse.Namespace) -> Actor:
    """The operator, for this one invocation: its change carries `--request-id` or else a
    fresh id, so a retry that passes the same id records nothing twice."""
    return make_actor(resolve_operator(args.operator)).for_action(getattr(args, "request_id", None))
