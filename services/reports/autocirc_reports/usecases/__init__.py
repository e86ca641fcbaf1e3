"""reports' use cases (the service layer between ``api`` / ``handlers`` and the pure ``domain``): reads and
writes behind the routes (lines, drafts, views, statistics) and the reminder job."""
