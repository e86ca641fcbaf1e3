"""transactions' use cases (the service layer between ``api`` / ``handlers`` and the pure ``domain``): storing, searching, batches, imports and their jobs, vehicle look-ups."""
