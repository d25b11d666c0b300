"""Alembic environment: runs on the connection the app hands over, or on alembic.ini's URL."""

from logging.config import fileConfig

from alembic import context
from sqlalchemy import engine_from_config, pool, text

from dairy_desktop.db.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None and config.config_file_name is not None:
    # `alembic upgrade` typed by a developer: alembic.ini's logging section applies. The app
    # hands over its connection and keeps its own logging (one line per schema check).
    fileConfig(config.config_file_name, disable_existing_loggers=False)
target_metadata = Base.metadata

# Several PCs may start the app at the same moment; only one may upgrade the schema.
_PG_MIGRATION_LOCK = 7_405_112


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
        context.run_migrations()


if connection is not None:
    _run(connection)
else:
    engine = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.connect() as conn:
        _run(conn)
