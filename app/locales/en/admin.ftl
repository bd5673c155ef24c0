# The admin area: the overview and the admin's own two-step verification.

admin-title = Admin
admin-heading = Admin
admin-forbidden = This area is for admins who have confirmed this sign-in with two-step verification.
admin-role-user = Users
admin-role-support = Support
admin-role-admin = Admins
admin-accounts-heading = Accounts
admin-accounts-role = Role
admin-accounts-count = Accounts
admin-accounts-total = Total
admin-audit-heading = Recent activity
admin-audit-lead = The latest entries of the audit log. Times are in UTC.
admin-audit-table = Audit log entries
admin-audit-time = Time
admin-audit-action = Action
admin-audit-actor = By
admin-audit-subject = Subject
admin-audit-empty = Nothing recorded yet.

## Two-step verification for admins
two-factor-setup-title = Two-step verification
two-factor-setup-heading = Two-step verification
two-factor-setup-enrol-heading = Turn on two-step verification
two-factor-setup-enrol-lead = Admin accounts confirm every sign-in with a code from an authenticator app, such as 1Password, Google Authenticator or Microsoft Authenticator.
two-factor-setup-step-scan = Scan this QR code with your authenticator app.
two-factor-setup-qr-alt = QR code to add banana nano to your authenticator app
two-factor-setup-manual = Cannot scan it? Enter this key instead:
two-factor-setup-open-app = Open in an authenticator app on this device
two-factor-setup-step-code = Enter the 6-digit code the app shows.
two-factor-setup-code-hint = This proves the app is set up before we switch it on.
two-factor-setup-submit = Turn on
two-factor-setup-codes-heading = Save your recovery codes
two-factor-setup-codes-body = If you lose your phone, each of these codes signs you in once. Store them somewhere safe, like a password manager. This is the only time we show them.
two-factor-setup-status-heading = Status
two-factor-setup-enabled-body = Every sign-in to this account asks for a code from your app.
two-factor-setup-codes-left = { $count ->
        [one] You have 1 unused recovery code.
       *[other] You have { $count } unused recovery codes.
    }
two-factor-setup-to-admin = Go to the admin overview
