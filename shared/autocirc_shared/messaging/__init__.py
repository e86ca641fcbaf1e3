"""The message bus (RabbitMQ or in-process behind one interface), outbox, inbox."""
