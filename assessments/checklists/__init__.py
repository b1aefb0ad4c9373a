"""The stage checklists: one bank per lifecycle stage (model) and their page view (view)."""
