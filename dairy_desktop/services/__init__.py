"""Use cases: plain values in, plain values out; each owns its transaction.

They work on the ports in services.ports (a Database handing out units of work with
repositories worded in the domain's terms), never on SQL, so each can be tested on an
in-memory fake. The only thing taken from dairy_desktop.db is open_database, where a URL has
to become a Database (AppSession.open, check_database_url).
"""
