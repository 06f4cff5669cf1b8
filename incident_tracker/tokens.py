"""Secrets handed to people once (API tokens, calendar URLs): only their SHA-256 is stored."""

import hashlib
import secrets

PREFIX = "itk_"


def new_secret() -> tuple[str, str]:
    """A fresh secret and the hash to store."""
    token = PREFIX + secrets.token_urlsafe(32)
    return token, digest(token)


def digest(token: str) -> str:
    """The stored form of a secret."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
