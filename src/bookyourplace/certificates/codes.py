"""A certificate's code: short enough to read out or type from paper, random enough not to guess.

Ten characters of Crockford's base32 (digits and letters without I, L, O and U, so nothing
reads as another character): 50 random bits, about a million billion codes. Shown and put in
links in groups, "7K3M-9QXD-2F"; stored without the dashes. What a person types is read the
way Crockford's alphabet intends: any case, spaces and dashes anywhere, O read as 0, I and L
as 1.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 10
_GROUPS = (4, 4, 2)
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_IGNORED = str.maketrans("", "", " -\t\u00a0\u2010\u2011\u2012\u2013\u2014")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text: str) -> str | None:
    """The stored form of a code as someone typed it, or None if it cannot be one."""
    code = (text or "").upper().translate(_IGNORED).translate(_READ_AS)
    if len(code) != LENGTH or any(character not in ALPHABET for character in code):
        return None
    return code


def grouped(code: str) -> str:
    """'7K3M9QXD2F' -> '7K3M-9QXD-2F': how a code is printed, shown and linked to."""
    parts, start = [], 0
    for size in _GROUPS:
        parts.append(code[start : start + size])
        start += size
    return "-".join(parts)
