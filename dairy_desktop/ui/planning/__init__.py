"""The Planning window: the litres expiring on each plant day, as a chart and a table."""
