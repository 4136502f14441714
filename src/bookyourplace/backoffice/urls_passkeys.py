"""Passkeys (included by backoffice/urls.py, in its namespace): /backoffice/account/passkeys/...

The four ceremony URLs answer the library's JavaScript in JSON (accounts/passkeys.py)."""

from django.urls import path

from bookyourplace.backoffice.views import passkeys

urlpatterns: list = [
    path("account/passkeys/added/", passkeys.passkey_added, name="passkey_added"),
    path("account/passkeys/<id:passkey_id>/rename/", passkeys.passkey_rename, name="passkey_rename"),
    path("account/passkeys/<id:passkey_id>/remove/", passkeys.passkey_remove, name="passkey_remove"),
    path("account/passkeys/register/begin/", passkeys.register_begin, name="passkey_register_begin"),
    path("account/passkeys/register/complete/", passkeys.register_complete, name="passkey_register_complete"),
    path("account/passkeys/sign-in/begin/", passkeys.sign_in_begin, name="passkey_sign_in_begin"),
    path("account/passkeys/sign-in/complete/", passkeys.sign_in_complete, name="passkey_sign_in_complete"),
    path("account/passkeys/jsi18n/", passkeys.js_catalog, name="passkey_js_catalog"),
]
