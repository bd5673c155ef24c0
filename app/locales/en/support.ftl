## The support form (/support), a visitor's confirmation link, threads, and the person's
## tickets in the settings (/settings/support).

footer-support = Support
settings-nav-support = Support

support-title = Support
support-heading = Contact support
support-lead-signed-in = Tell us what went wrong or what you need. We answer by email and in your account, where you can follow the conversation.
support-lead-visitor = Tell us what went wrong or what you need. We’ll email you a link to confirm your address first; after that our support team sees your message and answers by email.
support-your-tickets = Your earlier messages to support
support-topic = Topic
support-topic-choose = Choose a topic
support-topic-hint = For a copy, correction or deletion of your personal data, the privacy request form is the faster way.
support-topic-account = My account
support-topic-billing = Billing and credits
support-topic-generation = Image generation
support-topic-privacy = Privacy request
support-topic-other = Something else
support-email-hint = We send a confirmation link and our answers here.
support-email-signed-in-hint = Your account’s address: we answer here and in your settings.
support-message = Your message
support-screenshot = Screenshot
support-screenshot-hint = PNG, JPEG or WebP, up to 5 MB. We remove camera data and location before storing it.
support-screenshot-alt = Screenshot sent with this message
support-submit = Send message
support-privacy-heading = A request about your personal data?
support-privacy-body = To see, correct, delete or take away your personal data, or to object to how we use it, file a rights request: it has its own form and a legal answer deadline.
support-privacy-link = File a privacy request instead

support-notice-check-inbox = Almost done: check your inbox and follow the link we sent to confirm your message.
support-notice-opened = Thank you, your message is with our support team. We’ll answer here and by email.
support-notice-confirmed = Thank you, your message is confirmed and with our support team. Keep this page’s address to come back to the conversation.
support-notice-replied = Your reply was sent.

support-error-topic = Choose what your message is about.
support-error-message-missing = Write a message.
support-error-message-long = Your message is too long: at most { $max } characters.
support-error-screenshot-too-large = The screenshot is too large: at most { $max_mb } MB.
support-error-screenshot-pixels = The screenshot is too large in pixels. Try a smaller capture.
support-error-screenshot-format = The screenshot must be a PNG, JPEG or WebP image.
support-error-screenshot-corrupt = The screenshot could not be read. Try saving it again.
support-error-link-invalid = This confirmation link is not valid. Please write to us again.
support-error-link-expired = This confirmation link has expired, and the unconfirmed message was deleted. Please write to us again.
support-error-not-found = We could not find this conversation.
support-error-closed = This conversation is closed. Please send us a new message.

support-confirm-title = Confirm your message
support-confirm-heading = Confirm your message to support
support-confirm-lead = Someone sent our support team a message with this email address. If it was you, confirm it and we’ll answer.
support-confirm-submit = Confirm my message
support-confirm-done = This message is already confirmed. The link to the conversation is in our email.
support-confirm-no-token = This page confirms a message sent to support from the link we emailed. Open the link from the email.
support-write-again = Write to support
support-sent = Sent

support-thread-title = Support conversation
support-thread-heading = Your conversation with support
support-thread-back = All your messages to support
support-thread-closed = This conversation is closed. To ask something else, send a new message.
support-status = Status
support-status-unconfirmed = Waiting for confirmation
support-status-open = Waiting for support
support-status-answered = Answered
support-status-closed = Closed
support-author-staff = banana nano support
support-author-you = You
support-reply-heading = Reply
support-reply-message = Your reply
support-reply-submit = Send reply
support-updated = Last activity:

support-settings-title = Support
support-settings-heading = Support
support-settings-tickets = Your messages to support
support-settings-empty = You have not written to support yet.
support-settings-new = Write to support
