"""catalog's use cases (the service layer between ``api`` and the pure ``domain``): building, proposing, listing,
reviewing and seeding entries."""
