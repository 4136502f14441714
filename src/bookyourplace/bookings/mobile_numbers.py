"""UK mobile numbers, as people type them, for text reminders: checked and written the one
way GOV.UK Notify and the erasure search both expect (+447...)."""

import re

# After the 0 (or +44): 7, then 9 more digits; 76 is pagers, but for 7624 (Isle of Man mobiles).
_MOBILE = re.compile(r"^7(?:[1-57-9]\d{8}|624\d{6})$")
_SEPARATORS = re.compile(r"[\s\-().]")


def normalise_uk_mobile(text: str) -> str:
    """``07700 900 982``, ``+44 7700 900982``, ``0044 (0)7700-900982`` -> ``+447700900982``;
    ValueError for anything else."""
    digits = _SEPARATORS.sub("", text.strip())
    if digits.startswith("+"):
        digits = "00" + digits[1:]
    if digits.startswith("0044"):
        digits = digits[4:]
    elif digits.startswith("44") and len(digits) == 12:
        digits = digits[2:]
    if digits.startswith("0"):
        digits = digits[1:]
    if not _MOBILE.match(digits):
        raise ValueError(text)
    return f"+44{digits}"
