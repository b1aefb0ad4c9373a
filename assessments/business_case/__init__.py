"""The business case: fields, what it takes from other tools (model) and its document views (view)."""
