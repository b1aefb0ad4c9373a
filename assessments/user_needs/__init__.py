"""The user needs table: rows, checks (model) and its page, CSV and Markdown views (view)."""
