"""Sending e-mail through the configured SMTP server: its settings, checked once, and one connection
per run that is not tried again once the server failed."""

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage


class ConfigurationError(ValueError):
    """A reminder or mail setting that cannot be used; the message names it."""


@dataclass(frozen=True)
class MailSettings:
    server: str
    port: int
    username: str | None
    password: str | None
    starttls: bool
    timeout: float
    sender: str

    @classmethod
    def from_config(cls, config) -> "MailSettings":
        try:
            port, timeout = int(config["MAIL_PORT"]), float(config["MAIL_TIMEOUT"])
        except (TypeError, ValueError) as error:
            message = f"MAIL_PORT and MAIL_TIMEOUT must be numbers: {error}"
            raise ConfigurationError(message) from error
        return cls(
            server=str(config["MAIL_SERVER"]),
            port=port,
            username=config["MAIL_USERNAME"] or None,
            password=config["MAIL_PASSWORD"] or None,
            starttls=str(config["MAIL_STARTTLS"]).strip().lower() in ("true", "1", "yes", "on"),
            timeout=timeout,
            sender=str(config["MAIL_FROM"]),
        )


class Mailer:
    """One SMTP connection per run; a server that cannot be reached is not tried again."""

    def __init__(self, settings: MailSettings):
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None
        self.unreachable: str | None = None

    def send(self, mail: EmailMessage) -> list[str]:
        """Send; return the recipients refused (when at least one was accepted)."""
        if self.unreachable:
            raise ConnectionError(f"not tried, {self.unreachable}")
        smtp = self.smtp or self._connect()
        try:
            return sorted(smtp.send_message(mail))
        except OSError:
            self.close()
            raise

    def _connect(self) -> smtplib.SMTP:
        settings = self.settings
        try:
            smtp = smtplib.SMTP(settings.server, settings.port, timeout=settings.timeout)
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.username:
                smtp.login(settings.username, settings.password or "")
        except OSError as error:
            where = f"{settings.server}:{settings.port}"
            self.unreachable = f"the mail server {where} failed: {reason(error)}"
            raise
        self.smtp = smtp
        return smtp

    def close(self) -> None:
        smtp, self.smtp = self.smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except OSError:
                smtp.close()


def reason(error: Exception) -> str:
    """An exception as one line for a report or a log."""
    return f"{type(error).__name__}: {error}".strip()
