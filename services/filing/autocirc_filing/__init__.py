"""filing: filing (备案): enterprise records, review, export."""
