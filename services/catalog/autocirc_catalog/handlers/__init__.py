"""Events catalog consumes."""
SUBSCRIPTIONS: list = []
