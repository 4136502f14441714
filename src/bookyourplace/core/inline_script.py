"""The one inline script on every page, and its hash for the Content-Security-Policy.

GOV.UK Frontend styles some components differently when JavaScript runs; this line says so
before the page is painted, so nothing jumps. It is allowed by its SHA-256 hash rather than
a nonce: a page carrying it is then the same for every visitor, and the public pages can be
served whole from the cache (public/page_cache.py). Settings import this module, so it
imports nothing from Django.
"""

import base64
import hashlib

JS_ENABLED = (
    "document.body.className += ' js-enabled' + "
    "('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');"
)

CSP_SOURCE = "'sha256-" + base64.b64encode(hashlib.sha256(JS_ENABLED.encode()).digest()).decode() + "'"
