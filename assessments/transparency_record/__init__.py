"""The algorithmic transparency record (ATRS): fields, lists of entries (model), its document views (view)
and its spreadsheet for the ATRS team (workbook)."""
