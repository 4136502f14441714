"""Two-factor sign-in as an attacker who knows a password (but not the authenticator) tries it:
the set-up page, the back office, Django's admin, an administrator's reset, crafted `next`
links, and what a browser may keep of back-office pages."""
