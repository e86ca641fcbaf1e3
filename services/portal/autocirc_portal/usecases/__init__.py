"""portal's use cases (the service layer between ``api`` / ``handlers`` and the pure ``domain``): the mail outbox's sender."""
