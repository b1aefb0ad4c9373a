"""Readers of a council's own data: one loader for CSV and .xlsx, the one-pass profile, and the accuracy and fairness measures. Nothing here is ever saved."""
