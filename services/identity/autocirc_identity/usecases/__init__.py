"""identity's use cases that need the unit of work (the service layer between ``api`` and the pure ``domain``)."""
