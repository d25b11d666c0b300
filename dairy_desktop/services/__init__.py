"""Use cases: plain values in, plain values out; each owns its transaction.

They work on the ports in services.ports (a Database handing out units of work with
repositories worded in the domain's terms), never on SQL, so each can be tested on an
in-memory fake. Taken from dairy_desktop.db directly: open_database, where a URL has to
become a Database (AppSession.open, check_database_url), and the whole-database reads of
audit_verify and settings_history, which check the stored record itself.
"""
