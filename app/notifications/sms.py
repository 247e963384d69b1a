"""Text messages (短信): one gateway interface, ``send(phone, text)``.

``LoggingGateway`` (the default, and what development and tests use) writes each message to the
log with the number masked and sends nothing. ``AliyunGateway`` sends through Alibaba Cloud's
SMS API (``SendSms``, RPC style, HMAC-SHA1 signature); it is chosen by ``SMS_PROVIDER=aliyun``
with ``SMS_ACCESS_KEY_ID``, ``SMS_ACCESS_KEY_SECRET``, ``SMS_SIGN_NAME`` and
``SMS_TEMPLATE_CODE`` (a notice template with one ``${text}`` variable) from the environment.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol
from urllib.parse import quote

from app.privacy import mask_phone, scrub

log = logging.getLogger("gongzhi.sms")

#: The longest text sent: providers split longer ones into several billed messages.
TEXT_MAX = 140


class SmsError(RuntimeError):
    """The provider refused or could not be reached; the job retries."""


class SmsGateway(Protocol):
    def send(self, phone: str, text: str) -> str:
        """Send ``text`` to ``phone``; return how it went: ``"sent"`` or ``"logged"``."""


class LoggingGateway:
    """Sends nothing: the message goes to the log, the number masked."""

    def send(self, phone: str, text: str) -> str:
        log.info("sms to %s: %s", mask_phone(phone), scrub(text))
        return "logged"


def percent_encode(value: str) -> str:
    """RFC 3986 encoding as Alibaba Cloud signs it: spaces as %20, ``~`` kept, ``*`` encoded."""
    return quote(str(value), safe="~")


@dataclass
class AliyunGateway:
    access_key_id: str
    access_key_secret: str
    sign_name: str
    template_code: str
    endpoint: str = "https://dysmsapi.aliyuncs.com/"
    region: str = "cn-hangzhou"
    timeout: float = 10.0

    def params(self, phone: str, text: str, *, nonce: str | None = None,
               now: datetime | None = None) -> dict[str, str]:
        """The request's parameters, unsigned."""
        now = now or datetime.now(UTC)
        return {
            "AccessKeyId": self.access_key_id, "Action": "SendSms", "Format": "JSON",
            "PhoneNumbers": phone, "RegionId": self.region, "SignName": self.sign_name,
            "SignatureMethod": "HMAC-SHA1", "SignatureNonce": nonce or uuid.uuid4().hex,
            "SignatureVersion": "1.0", "TemplateCode": self.template_code,
            "TemplateParam": json.dumps({"text": text[:TEXT_MAX]}, ensure_ascii=False,
                                        separators=(",", ":")),
            "Timestamp": now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }

    def signature(self, params: dict[str, str], method: str = "GET") -> str:
        """Base64 of HMAC-SHA1, keyed with the secret and ``&``, over
        ``METHOD&%2F&`` + the encoded, sorted, encoded query."""
        query = "&".join(f"{percent_encode(k)}={percent_encode(v)}"
                         for k, v in sorted(params.items()))
        to_sign = f"{method}&{percent_encode('/')}&{percent_encode(query)}"
        digest = hmac.new(f"{self.access_key_secret}&".encode(), to_sign.encode(),
                          hashlib.sha1).digest()
        return base64.b64encode(digest).decode()

    def url(self, phone: str, text: str, **kw) -> str:
        params = self.params(phone, text, **kw)
        signed = {"Signature": self.signature(params), **params}
        return self.endpoint + "?" + "&".join(
            f"{percent_encode(k)}={percent_encode(v)}" for k, v in signed.items())

    def send(self, phone: str, text: str) -> str:
        from urllib.request import urlopen

        try:
            with urlopen(self.url(phone, text), timeout=self.timeout) as reply:  # noqa: S310
                body = json.loads(reply.read().decode())
        except (OSError, ValueError) as exc:
            raise SmsError(f"sms to {mask_phone(phone)}: {type(exc).__name__}") from exc
        if body.get("Code") != "OK":
            raise SmsError(f"sms to {mask_phone(phone)}: {body.get('Code')}")
        return "sent"


def gateway(config) -> SmsGateway:
    """The gateway the configuration names (the logging one unless told otherwise)."""
    if config.get("SMS_PROVIDER") == "aliyun":
        return AliyunGateway(config["SMS_ACCESS_KEY_ID"], config["SMS_ACCESS_KEY_SECRET"],
                             config["SMS_SIGN_NAME"], config["SMS_TEMPLATE_CODE"])
    return LoggingGateway()
