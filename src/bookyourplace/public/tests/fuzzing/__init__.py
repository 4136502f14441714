"""Bad input never breaks the public site.

Every public form and URL is sent random and hostile input: very long strings, control
characters, NUL bytes, invalid UTF-8 and lone surrogates as raw bytes, SQL and script
payloads, look-alike letters, emoji and right-to-left marks, duplicated and countless
fields, the wrong method, the wrong content type, no CSRF token. The answer is never a
500: it is the form again with the GOV.UK error summary, a booking, or one of our own
4xx pages, each recognised by what it says. A booking made before the fuzzing is exactly
as it was afterwards.
"""
