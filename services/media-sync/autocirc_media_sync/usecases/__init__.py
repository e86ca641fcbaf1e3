"""media-sync's use cases (the service layer between ``api`` / ``handlers`` and the pure ``domain``): deliveries, the worker that sends them, look-ups, gauges."""
