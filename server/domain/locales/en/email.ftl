# Transactional email: the words of every message banana nano sends.
# Plain text only: the layout adds the markup and escapes every value, so never put HTML here.
# Arguments: $name (the person's display name), $new_email (an address), $site (our host name).

## The frame around every message
email-greeting = Hi { $name },
email-greeting-anonymous = Hi there,
email-link-fallback = If the button doesn’t work, copy this link into your browser:
email-signoff = — The banana nano team
email-footer-reason = You’re receiving this because of an action on a banana nano account. It’s a service email, so it arrives even if you’ve turned off newsletters.

## Message::VerifyEmail
email-verify-subject = Confirm your email address for banana nano
email-verify-heading = One click and you’re in
email-verify-body = Thanks for signing up for banana nano! Please confirm that this address is yours, so we can keep your account safe and your creations within reach.
email-verify-button = Confirm my email
email-verify-expiry = This link works for 24 hours.
email-verify-ignore = Didn’t sign up? Someone may have typed your address by mistake. You can ignore this email: no account is activated without this click.

## Message::ResetPassword
email-reset-subject = Reset your banana nano password
email-reset-heading = Choose a new password
email-reset-body = We received a request to reset the password for your banana nano account. Use the button below to choose a new one.
email-reset-button = Choose a new password
email-reset-expiry = This link works for 1 hour and only once.
email-reset-ignore = Didn’t ask for this? You can ignore this email. Your password stays as it is, and nobody can change it without this link.

## Message::ConfirmNewEmail (sent to the new address)
email-confirm-new-email-subject = Confirm your new email address for banana nano
email-confirm-new-email-heading = Confirm your new address
email-confirm-new-email-body = You asked to use this address for your banana nano account. Confirm it, and we’ll send everything here from now on.
email-confirm-new-email-button = Confirm new address
email-confirm-new-email-expiry = This link works for 24 hours. Until you confirm, your account keeps its current address.
email-confirm-new-email-ignore = Didn’t ask for this? You can ignore this email and nothing will change.

## Message::EmailChanged (a notice to the old address)
email-email-changed-subject = The email address on your banana nano account was changed
email-email-changed-heading = Your email address was changed
email-email-changed-body = Your banana nano account now uses { $new_email }. Account emails will go there from now on.
email-email-changed-not-you = If you didn’t make this change, reply to this email straight away and we’ll help you secure your account.

## Message::PasswordChanged
email-password-changed-subject = Your banana nano password was changed
email-password-changed-heading = Your password was changed
email-password-changed-body = The password for your banana nano account was just changed. If that was you, you’re all set: there’s nothing else to do.
email-password-changed-not-you = If it wasn’t you, reset your password right away with the button below. The reset link goes only to this address, so you stay in control.
email-password-changed-button = Reset my password

## Message::AccountExists (someone tried to sign up with an address that has an account)
email-account-exists-subject = You already have a banana nano account
email-account-exists-heading = You already have an account
email-account-exists-body = Someone just tried to sign up for banana nano with this address. It already has an account, so nothing new was created.
email-account-exists-button = Sign in
email-account-exists-forgot = Forgotten your password? Choose “Forgot password” on the sign-in page and we’ll send you a reset link.
email-account-exists-ignore = If that wasn’t you, you can ignore this email: your account and password are unchanged.

## Message::AdminInvite
email-admin-invite-subject = You’re invited to help run banana nano
email-admin-invite-heading = Set your administrator password
email-admin-invite-body = An administrator has created an admin account for you on banana nano at { $site }. Set a password to sign in.
email-admin-invite-button = Set my password
email-admin-invite-expiry = This link works for 24 hours. If it expires, ask the person who invited you to send a new one.
email-admin-invite-ignore = Weren’t expecting this? You can ignore this email: the account can’t be used until a password is set.
