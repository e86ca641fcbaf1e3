"""autocirc's shared library: the mechanisms every service uses, none of their domain."""
