"""filing's use cases (the service layer between ``api`` and the pure ``domain``)."""
