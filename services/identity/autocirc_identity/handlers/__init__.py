"""identity consumes no events: it is the source of accounts."""
SUBSCRIPTIONS: list = []
