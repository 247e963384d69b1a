"""Email copies of inbox messages: SMTP when configured, the log otherwise."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

log = logging.getLogger("gongzhi.mail")


def deliver_email(notification_id: int) -> str:
    """Send one notification by email; idempotent (a sent one is not sent again)."""
    from app.auth.models import User
    from app.db_commit import commit
    from app.extensions import db
    from app.notifications.models import Notification
    from app.privacy import mask_email

    note = db.session.get(Notification, notification_id)
    if note is None or note.email_status not in ("pending", "failed"):
        return note.email_status if note else "missing"
    user = db.session.get(User, note.user_id)
    cfg = current_app.config
    if not cfg.get("MAIL_SERVER"):
        log.info("mail to %s: %s", mask_email(user.email), note.title)
        note.email_status = "logged"
    else:
        msg = EmailMessage()
        # A title quoting a project name typed with a line break stays one header line.
        subject = " ".join(note.title.split())
        msg["From"], msg["To"], msg["Subject"] = cfg["MAIL_FROM"], user.email, subject
        from app.notifications.footers import of as footer_of

        end = footer_of(note, user)
        msg.set_content(note.body + (f"\n\n{note.link}" if note.link else "")
                        + (f"\n\n{end}" if end else ""))
        try:
            with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=20) as smtp:
                if cfg.get("MAIL_USE_TLS"):
                    smtp.starttls()
                if cfg.get("MAIL_USERNAME"):
                    smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
                smtp.send_message(msg)
        except (OSError, smtplib.SMTPException):
            note.email_status = "failed"
            commit()
            raise  # rq retries with backoff
        note.email_status = "sent"
    commit()
    return note.email_status


def deliver_sms(notification_id: int) -> str:
    """Send one notification by text message through the configured gateway; idempotent, and
    throttled: past ``SMS_PER_HOUR`` messages to one person in the last hour, it stays in the
    inbox only (``throttled``)."""
    from datetime import timedelta

    from sqlalchemy import func, select

    from app.auth.models import User
    from app.db import utcnow
    from app.db_commit import commit
    from app.extensions import db
    from app.notifications.footers import text_message
    from app.notifications.models import Notification
    from app.notifications.services import sms_number
    from app.notifications.sms import TEXT_MAX, SmsError, gateway

    note = db.session.get(Notification, notification_id)
    if note is None or note.sms_status not in ("pending", "failed"):
        return note.sms_status if note else "missing"
    user = db.session.get(User, note.user_id)
    number = sms_number(user, note.tenant_id)
    now = utcnow()
    recent = db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.sms_status.in_(("sent", "logged")),
        Notification.sms_at > now - timedelta(hours=1))) or 0
    if number is None:
        note.sms_status = "none"
    elif recent >= int(current_app.config.get("SMS_PER_HOUR", 5)):
        note.sms_status = "throttled"
    else:
        text = text_message(note, user, TEXT_MAX)
        try:
            note.sms_status = gateway(current_app.config).send(number, text)
        except SmsError:
            note.sms_status = "failed"
            commit()
            raise  # rq retries with backoff
        note.sms_at = now
    commit()
    return note.sms_status


def send_claim_code(claim_id: int, code: str) -> str:
    """Text the one-time code of an account claim (``app.auth.claims``) to the account's
    mobile number, unless the claim was used or has expired meanwhile."""
    from app.auth.claims import open_claim_text
    from app.notifications.sms import gateway

    message = open_claim_text(claim_id, code)
    if message is None:
        return "closed"
    return gateway(current_app.config).send(*message)
