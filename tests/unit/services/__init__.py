"""Use cases tested on the in-memory fake of their storage ports: fast, no database."""
