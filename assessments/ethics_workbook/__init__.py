"""The ethics workbook: phases and questions (model) and its document views (view)."""
