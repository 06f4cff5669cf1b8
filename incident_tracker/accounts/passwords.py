"""The password policy: long enough, not the e-mail, not a well-known password."""

MIN_LENGTH = 12
MAX_LENGTH = 1000
COMMON = frozenset(
    """password passw0rd 123456789012 1234567890123 qwertyuiopas qwerty123456 iloveyou1234
    administrator letmein12345 welcome12345 password1234 password12345 changeme1234
    incidenttracker incident123456 correcthorse trustno1trustno1 000000000000 111111111111
    abcdefghijkl abc123abc123 football1234 monkey123456 dragon123456 sunshine1234 princess1234
    qwertyqwerty asdfghjklasd zxcvbnmzxcvb 1q2w3e4r5t6y q1w2e3r4t5y6 passwordpassword""".split()
)


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
    if lowered in COMMON or len(set(password)) < 4:
        found.append("it is too easy to guess")
    return found
