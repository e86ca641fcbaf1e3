"""Access tokens: identity signs with its private key; everyone else verifies with the public key."""
