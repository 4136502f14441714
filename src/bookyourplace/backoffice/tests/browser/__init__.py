"""The back office in a real Chromium, used with the keyboard only and checked with axe-core.

An organiser signs in, creates a programme, adds an online session, publishes it, books it
from the public side in a second tab and finds the booking in the back office, without
touching a mouse. Every back-office page, and every form with its errors showing, is
checked for WCAG 2.2 AA problems on a desktop and on a phone.
"""
