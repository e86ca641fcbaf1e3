"""identity: enterprises register and log in; officials and the admin; access tokens."""
