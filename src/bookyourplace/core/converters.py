class IdConverter:
    """A database id in a URL: digits that fit a 64-bit integer column (anything longer is
    simply not found, rather than an overflow error in the database driver)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))
