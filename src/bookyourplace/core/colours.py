"""Colour contrast, as WCAG 2.2 defines it, for the organiser's brand colour."""


def _relative_luminance(hex_colour: str) -> float:
    hex_colour = hex_colour.lstrip("#")
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_with_white(hex_colour: str) -> float:
    """Contrast ratio of white text on this colour; 0 when the value is not a colour."""
    try:
        luminance = _relative_luminance(hex_colour)
    except (ValueError, IndexError):
        return 0.0
    return 1.05 / (luminance + 0.05)
