"""catalog's use cases (the service layer between ``api`` and the pure ``domain``): building, reviewing and seeding entries."""
