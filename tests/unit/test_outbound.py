"""Which adapters courier_from picks, and what the log-only stand-ins write (the code only when embedded)."""
from __future__ import annotations

import logging

from autocirc_shared.outbound import courier_from
from autocirc_shared.outbound.sms_http import HttpSmsGateway
from autocirc_shared.outbound.smtp import SmtpMailer
from autocirc_shared.settings import CommonSettings


def test_configured_channels_use_smtp_and_the_http_gateway():
    courier = courier_from(CommonSettings(smtp_host="mail.example", smtp_port=2525, sms_url="http://sms.example/send"))
    assert isinstance(courier.mailer, SmtpMailer) and courier.mailer.port == 2525
    assert isinstance(courier.sms, HttpSmsGateway) and courier.sms.url == "http://sms.example/send"


async def test_without_channels_the_code_reaches_the_log_only_in_embedded_mode(caplog):
    caplog.set_level(logging.WARNING, "autocirc.outbound")
    await courier_from(CommonSettings()).sms.send("13812345678", "验证码为 123456")
    assert "123456" in caplog.text and "13812345678" not in caplog.text and "138****5678" in caplog.text
    caplog.clear()
    distributed = CommonSettings(database_url="postgresql://x/y", amqp_url="amqp://x")
    await courier_from(distributed).sms.send("13812345678", "验证码为 654321")
    await courier_from(distributed).mailer.send("a@example.com", "密码重置验证码", "验证码为 654321")
    assert "654321" not in caplog.text and "not sent" in caplog.text
