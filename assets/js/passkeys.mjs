// Once django-otp-webauthn's script has added a passkey (the browser and the server agree), go
// on to the page that says so: the form posts to backoffice/views/passkeys.py: passkey_added.
document.addEventListener("otp_webauthn.register_complete", () => {
  document.getElementById("passkey-added-form")?.submit();
});
