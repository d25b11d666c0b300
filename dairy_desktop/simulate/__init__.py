"""`dairy-desktop simulate`: several office PCs as separate processes on one database, then
a consistency check of what they left behind, straight from the tables.

One idea per module: `config` (what to run), `codes` (this run's batch codes and a scratch
database guard), `plant_gate` (the QA gate switched on for the run), `deliveries` (the
opening stock, released by QA), `tally` (what a workstation counted), `dialog` (a dialog's
conflict handling), `desk` (what every action shares), `lifecycle_work` (QA, hold, release,
recall, write-offs, reversals), `workstation` (one PC's behaviour), `processes` (spawning,
timing, killing), `checks` with `ledger_checks`, `gate_checks` and `count_checks` (the
database audit), `report` (statistics, table, JSON); the CLI is dairy_desktop.cli.simulate.
"""
