"""`dairy-desktop simulate`: several office PCs as separate processes on one database, then
a consistency check of what they left behind, straight from the tables.

One idea per module: `config` (what to run), `codes` (this run's batch codes and a scratch
database guard), `tally` (what a workstation counted), `dialog` (the consume dialog's conflict
handling), `workstation` (one PC's behaviour), `processes` (spawning, timing, killing),
`checks` (the database audit), `report` (statistics, table, JSON), `command` (the CLI).
"""
