"""The 15-minute ethics triage: questions, red flags, risk level (model) and its page and Word views (view)."""
