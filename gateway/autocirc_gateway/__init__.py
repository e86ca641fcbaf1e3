"""The gateway: routes /api/v1 to the services, checks tokens, limits rates, merges the docs."""
