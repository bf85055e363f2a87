"""The render dock: the settings form, the job queue and its rows."""
