"""My project: every tool's saved answers in one project file (model) and the page's table (view)."""
