"""Test and monitor: the thresholds agreed at Design (model, agreed_thresholds), reading a case file into counts (cases), the report's views (view) and the worker's entry points (api)."""
