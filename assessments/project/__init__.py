"""My project: every tool's saved answers in one project file (model), the page's table (view) and the
governance pack made from them (pack)."""
