# Signing in and up, two-step codes, password resets and email confirmation; the labels
# every account form shares; the messages the server sends back after a form.

## Header and shared form pieces
form-loading = Loading…
form-optional = (optional)
form-email = Email
form-password = Password
form-new-password = New password
form-current-password = Current password
form-password-hint = At least 8 characters, no other rules. A phrase you can remember works best.
form-display-name = Display name
form-display-name-hint = How you appear in banana nano, up to 50 characters. You can change it later.
dev-mail-hint = Development mode: emails are not sent but kept in the outbox.
dev-mail-link = Open the outbox
auth-or-email = or use your email
auth-continue-with = Continue with { $provider }
auth-already-signed-in = You are already signed in as { $name }.
auth-go-to-settings = Go to your settings
auth-age-label = I am 16 or older
auth-terms-before = I agree to the{" "}
auth-terms-link = terms of service
auth-terms-between = {" "}and the{" "}
auth-privacy-link = privacy policy
auth-terms-after = .

## Sign in
sign-in-title = Sign in
sign-in-heading = Welcome back
sign-in-lead = Sign in to pick up where you left off.
sign-in-submit = Sign in
sign-in-forgot = Forgot your password?
sign-in-new-here = New to banana nano?
sign-in-to-sign-up = Create an account

## Two-step verification at sign-in
two-factor-title = Two-step verification
two-factor-heading = Two-step verification
two-factor-lead = Enter the 6-digit code from your authenticator app to finish signing in.
two-factor-code = Verification code
two-factor-code-hint = The code changes every 30 seconds; use the newest one.
two-factor-submit = Verify and sign in
two-factor-recovery-summary = Lost your phone? Use a recovery code
two-factor-recovery-code = Recovery code
two-factor-recovery-hint = One of the codes you saved when you turned on two-step verification, like k7p2-9xqf-3mzd. Each one works once.
two-factor-recovery-submit = Sign in with a recovery code
two-factor-start-over = Start over

## Sign up
sign-up-title = Create an account
sign-up-heading = Create your account
sign-up-lead = Keep your creations, get a welcome bonus of credits, and pick up on any device.
sign-up-submit = Create account
sign-up-have-account = Already have an account?
sign-up-to-sign-in = Sign in

## Finishing a sign-up that started with Google or GitHub
complete-sign-up-title = Finish signing up
complete-sign-up-heading = One last step
complete-sign-up-lead = Check the name we will show and tick both boxes to create your account.
complete-sign-up-as = Signing up as { $email }
complete-sign-up-submit = Create account
complete-sign-up-cancel = Cancel and go back to sign in

## Forgotten and new passwords
forgot-password-title = Reset your password
forgot-password-heading = Forgot your password?
forgot-password-lead = Enter the email you signed up with and we will send you a link to choose a new one.
forgot-password-submit = Send reset link
forgot-password-back = Back to sign in
reset-password-title = Choose a new password
reset-password-heading = Choose a new password
reset-password-lead = Pick a new password for your account.
reset-password-submit = Save new password
reset-password-no-token = This link is incomplete. Open the link from the email again, or ask for a new one.
reset-password-new-link = Need a new link?
reset-password-retry = Open the link from the email again to try once more, or ask for a new one.

## Confirming an email address
verify-email-title = Confirm your email
verify-email-heading = Confirm your email address
verify-email-lead = One click and your address is confirmed.
verify-email-submit = Confirm my email
verify-email-not-me-lead = Did someone else sign up with this address? Take the account back: every sign-in they set up ends, and you choose the password.
verify-email-not-me = I did not sign up
verify-email-change-heading = Confirm your new email address
verify-email-change-lead = Once you confirm, you will sign in with this address and we will write to it.
verify-email-change-submit = Confirm new email
verify-email-inbox-heading = Check your inbox
verify-email-inbox-lead = We sent you a link to confirm your email address. It can take a minute to arrive, so check your spam folder too.
verify-email-sent-to = We sent it to { $email }. Nothing there?
verify-email-resend = Send the link again
verify-email-done-heading = Your email is confirmed
verify-email-done-body = { $email } is confirmed. You are all set.

## Errors the server sends back with a form
auth-error-age = You need to be 16 or older to use banana nano.
auth-error-terms = Please accept the terms of service and the privacy policy to continue.
auth-error-credentials = That email and password do not match. Check both and try again.
auth-error-current-password = Your current password is not right.
auth-error-reauthenticate = For your security, sign out and sign in again, then make this change within 15 minutes.
auth-error-link-invalid = This link is not valid. Make sure you opened all of it, or ask for a new one.
auth-error-link-expired = This link has expired. Please ask for a new one.
auth-error-link-used = This link has already been used. Ask for a new one if you still need it.
auth-error-cooldown = We just sent you an email. You can ask for another in { $seconds ->
        [one] { $seconds } second
       *[other] { $seconds } seconds
    }.
auth-error-last-method = This is your only way to sign in. Add a password or link another account first.
auth-error-email-in-use = That email address already belongs to an account.
auth-error-provider-email = That account has no verified email address we can use. Verify it with the provider, or sign up with your email.
auth-error-totp = That code did not work. Check that your phone’s clock is right and try the newest code.
auth-error-password-short = Your password needs at least 8 characters.
auth-error-password-long = That password is too long. Please keep it under 256 characters.
auth-error-password-common = That password is too common and easy to guess. Please choose another.
auth-error-email = That does not look like an email address.
auth-error-display-name = Please enter a display name of up to 50 characters.
auth-error-provider-disabled = Signing in that way is not available right now. Please use your email.
auth-error-provider-denied = Sign-in was cancelled, so nothing was shared with us.
auth-error-provider-state = That sign-in took too long or was started elsewhere. Please try again.
auth-error-provider-failed = We could not reach the provider to sign you in. Please try again in a moment.
auth-error-captcha = Please complete the check that you are human and try again.
auth-error-captcha-unavailable = We could not run the check that you are human. Please try again in a moment.
auth-error-rate-limited = Too many attempts. Try again in { $seconds ->
        [one] { $seconds } second
       *[other] { $seconds } seconds
    }.
error-internal = Something went wrong on our side. Please try again in a moment.

## Notices after a form went through
auth-notice-check-inbox = Almost there: check your inbox for a link to confirm your email.
auth-notice-reset-sent = If an account uses that address, a reset link is on its way. It works for a short while, so use it soon.
auth-notice-password-reset = Your password has been changed. You can sign in with it now.
auth-notice-email-verified = Thanks, your email address is confirmed.
auth-notice-email-verified-sign-in = Your email address is confirmed. Sign in to continue.
auth-notice-account-taken-back = The account is yours again: everyone else was signed out and their password removed. Choose your own password now.
auth-notice-email-change-sent = We sent a link to your new address. Your email changes once you confirm it.
auth-notice-email-changed = Your email address has been changed.
auth-notice-password-changed = Your password has been changed.
auth-notice-verification-resent = We sent you a new confirmation link.
auth-notice-identity-linked = The account is linked. You can now sign in with it.
auth-notice-identity-unlinked = The account is unlinked.
auth-notice-two-factor-enabled = Two-step verification is on.
auth-notice-signed-out = You are signed out. See you soon.
auth-notice-signed-out-everywhere = You are signed out on every device.
auth-notice-device-revoked = That device is signed out.
