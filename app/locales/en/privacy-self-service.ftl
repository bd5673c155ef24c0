# Self-service data export and account deletion: what the forms on /settings/privacy say
# after a request, and why one was refused.

## Download your data
privacy-export-notice-requested = We’re preparing your download. We’ll email you a link as soon as it’s ready.
privacy-export-error-not-found = We couldn’t find that download. Please use the link from your most recent email.
privacy-export-error-expired = That download has expired and its file is deleted. You can ask for a new one below.
privacy-export-error-limited = You can ask for { $max } downloads a day. Please try again in { $count ->
        [one] an hour
       *[other] { $count } hours
    }.

## Delete your account
privacy-delete-notice-done = Your account is deleted and you’re signed out everywhere. We’ve sent a confirmation to your email address.
privacy-delete-error-password = That password isn’t right, so nothing was deleted.
privacy-delete-error-email = Please type the email address of your account exactly as shown, so we know you mean it.
privacy-delete-error-sign-in-again = For your safety, please sign out and sign in again, then delete your account within 15 minutes.
privacy-delete-error-code = That code from your authenticator app isn’t right. Please enter the current code.
privacy-delete-error-limited = Too many attempts. Please try again in { $minutes ->
        [one] a minute
       *[other] { $minutes } minutes
    }.
privacy-delete-error-gone = This account is already deleted.
