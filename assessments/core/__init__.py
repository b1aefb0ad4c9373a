"""The shared core every tool stands on: reading banks, errors, HTML, links, dates, provenance, upgrading saved answers, the JSON record, and the Word and report document models."""
