"""The data quality check: settings and the report on a council's file (model), its views (view) and the worker's entry points (api)."""
