"""The password policy: long enough, not the e-mail, not guessable, not one used before.

Guessability is zxcvbn's estimate (Dropbox's, maintained as the `zxcvbn` package): it knows the
30,000 commonest passwords, dictionary words, names, keyboard walks, repeats, sequences and dates,
so "abcdabcdabcd", "qwertyuiop12" and "Summer2026!!" are refused, with its own hint. A new
password must reach its top score (4 of 4: more than 10^10 guesses); a passphrase of four
ordinary words does.
"""

import json

from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 1000
MIN_SCORE = 4
ESTIMATED = 100  # zxcvbn's time grows with the length; the first 100 characters decide
PRODUCT_WORDS = ("incident", "tracker", "incidenttracker", "breach", "dpo")
HISTORY = 5  # a password change refuses the current one and the four before it


def problems(password: str, email: str = "") -> list[str]:
    """Everything wrong with a new password, in words for the person choosing it."""
    found = []
    if len(password) < MIN_LENGTH:
        found.append(f"use at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        found.append(f"use at most {MAX_LENGTH} characters")
    lowered = password.lower()
    local = email.split("@")[0].lower()
    if local and len(local) >= 4 and local in lowered:
        found.append("do not use your e-mail address in it")
    if password and len(password) <= MAX_LENGTH:
        guessable = _guessable(password, local)
        if guessable:
            found.append(guessable)
    return found


def _guessable(password: str, local: str) -> str | None:
    if len(set(password)) < 4:
        return "it is too easy to guess"
    estimate = zxcvbn(password[:ESTIMATED], user_inputs=[local, *PRODUCT_WORDS])
    if estimate["score"] >= MIN_SCORE:
        return None
    hint = estimate["feedback"]["warning"] or "add another word or two"
    return f"it is too easy to guess: {hint.rstrip('.').lower()}"


def used_before(user, password: str) -> bool:
    """Is it the user's current password or one of the few before it?"""
    return user.check_password(password) or any(
        user.matches(old, password) for old in json.loads(user.password_history or "[]")
    )


def remember(user) -> None:
    """Keep the current hash among the previous ones, before a new password is set."""
    if user.password_hash:
        kept = [user.password_hash, *json.loads(user.password_history or "[]")]
        user.password_history = json.dumps(kept[: HISTORY - 1])
