"""transactions: used-car transactions: entry, import, search, export."""
