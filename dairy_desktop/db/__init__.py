"""Storage: SQLAlchemy 2.x models, custom types, engine set-up, migrations, unit of work."""
