"""catalog: manufacturers, brands, models and displacements, reviewed by the admin."""
