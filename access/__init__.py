"""Who may see and send what: accounts, roles, sessions and the audit log.

The one question the rest of the app asks is `identity.identify(token)`: who is this, in
which role, with which region in scope. Behind it, `store.py` keeps accounts, sessions and
the audit trail in their own SQLite file beside the warehouse (not inside its versions), and
`passwords.py` hashes with argon2. An identity provider could replace the password form by
configuration later: it would only have to produce the same `Identity`.
"""
