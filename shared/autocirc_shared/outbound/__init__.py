"""Messages that leave the system for people: e-mail over SMTP and SMS through an HTTP gateway.

Services talk to the ports (``Mailer``, ``SmsGateway``); ``courier_from(settings)`` picks the adapters.
Sending happens after the request has answered (``Courier.later``), so how long a mail server takes
never shows in a response's timing.
"""
from .courier import Courier, courier_from
from .ports import Mailer, OutboundError, SmsGateway

__all__ = ["Courier", "Mailer", "OutboundError", "SmsGateway", "courier_from"]
