"""The algorithmic transparency record (ATRS): fields, lists of entries (model) and its document views (view)."""
