# The development outbox at /dev/mail (dev mode only).
dev-mail-title = Outbox
dev-mail-note = Development mode: emails are kept here instead of being sent.
dev-mail-empty = No emails yet.
dev-mail-sent = Sent (unix ms)
dev-mail-to = To
dev-mail-subject = Subject
dev-mail-text = Plain text
dev-mail-html = View the HTML version
dev-mail-back = All emails
