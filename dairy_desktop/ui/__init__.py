"""Qt widgets. Talks to services only; never imports dairy_desktop.db."""
