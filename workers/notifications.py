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
        msg.set_content(note.body + (f"\n\n{note.link}" if note.link else ""))
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
