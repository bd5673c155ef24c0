# Processing preferences, marketing email and the unsubscribe page.

## Notices after a choice on /settings/privacy
privacy-notice-processing-limited = Saved. While your restriction or objection stands, we don’t use your data for analytics, marketing or personalisation; your account and creations work as before.
privacy-notice-processing-full = Saved. We process your data again as our privacy policy describes.
privacy-notice-marketing-on = You’re subscribed to news and offers. Every email has a one-click unsubscribe link.
privacy-notice-marketing-off = You’re unsubscribed from news and offers. Emails about your account still arrive.
privacy-error-choice = That choice wasn’t recognised. Please choose again.

## The page an unsubscribe link opens
unsubscribe-title = Unsubscribe from banana nano news
unsubscribe-body = Stop receiving news and offers at this address? Emails about your account, such as receipts and security notices, will still arrive.
unsubscribe-button = Unsubscribe
unsubscribe-done-title = You’re unsubscribed
unsubscribe-done-body = You won’t receive news or offers from us any more. Changed your mind? You can subscribe again in your privacy settings.
unsubscribe-settings = Privacy settings
unsubscribe-invalid-title = This unsubscribe link doesn’t work
unsubscribe-invalid-body = The link may be incomplete: copy the whole link from the email. You can also sign in and change your email choices in your privacy settings.
