"""Qt widgets. Talks to services only; never imports the database layer."""
