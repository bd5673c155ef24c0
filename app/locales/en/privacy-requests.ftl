# Rights requests written in: the form, the confirmation of an emailed link, and a
# request's status page. Kind and status names are shared with the privacy settings.

## The form
privacy-requests-title = Privacy requests
privacy-requests-heading = Ask us about your personal data
privacy-requests-lead = Ask for a copy of your data, a correction, deletion, a restriction, an objection, or a copy to take elsewhere. Use this form if you can’t use the self-service tools or would rather write to us.
privacy-requests-self-service = Most of this you can also do yourself, at once, in your privacy settings.
privacy-requests-self-service-link = Open your privacy settings
privacy-requests-kind = What would you like us to do?
privacy-requests-kind-choose = Choose one…
privacy-requests-option-access = Send me a copy of my personal data
privacy-requests-option-correct = Correct data that is wrong or incomplete
privacy-requests-option-delete = Delete my personal data
privacy-requests-option-restrict = Restrict how you use my data
privacy-requests-option-object = Stop using my data for analytics and profiling (objection)
privacy-requests-option-port = Give me my data in a machine-readable format to move elsewhere
privacy-requests-email-hint = We’ll email this address a link to confirm the request is yours. The answer on this page is the same whether or not the address has an account.
privacy-requests-email-signed-in-hint = Your account’s address. You are signed in, so the request counts as confirmed at once.
privacy-requests-details = Details
privacy-requests-details-hint = Anything that helps us act on it. For a correction, say what is wrong and what it should say (required). Up to 5,000 characters.
privacy-requests-submit = Send request
privacy-requests-steps-heading = What happens next
privacy-requests-step-verify = We confirm the request is yours: by your sign-in, or by a link we email to the address. The link works for 7 days; unconfirmed requests are deleted after that.
privacy-requests-step-deadline = We answer within 30 days of the confirmation.
privacy-requests-step-extension = If a request is complex we may extend once, by up to 30 more days. We tell you before the deadline, with the reason.
privacy-requests-step-answer = We carry out the request, or explain why we can’t. If you disagree, you may complain to a data protection supervisory authority.
privacy-requests-new = Send a new request

## After the form
privacy-requests-notice-check-inbox = Check your inbox: we’ve sent a link to confirm your request. Our 30-day deadline starts when you confirm.
privacy-requests-notice-received = Your request is confirmed by your sign-in. We’ll answer by the due date below.
privacy-requests-notice-verified = Thank you, your request is confirmed. We’ll answer by the due date below.

## Errors
privacy-requests-error-kind = Choose what you would like us to do.
privacy-requests-error-details-missing = Please tell us what is wrong and what it should say, so we can correct it.
privacy-requests-error-details-long = Please keep the details under { $max } characters.
privacy-requests-error-note-missing = Write the reason or the answer the person will read.
privacy-requests-error-note-long = Please keep it under { $max } characters.
privacy-requests-error-not-found = We couldn’t find this request.
privacy-requests-error-not-open = This request is no longer open.
privacy-requests-error-already-extended = This request was already extended once. It cannot be extended again.
privacy-requests-error-past-due = This request is past its due date, so it can no longer be extended.
privacy-requests-error-link-invalid = This confirmation link is not valid. Make sure you opened all of it.
privacy-requests-error-link-expired = This confirmation link has expired, and the request was not confirmed in time. Please send it again.

## Confirming an emailed link
privacy-requests-verify-title = Confirm your privacy request
privacy-requests-verify-heading = Confirm your request
privacy-requests-verify-lead = Confirm that you sent this request. Our 30-day deadline starts when you do.
privacy-requests-verify-submit = Confirm my request
privacy-requests-verify-not-you = Didn’t send it? Just close this page: nothing happens without your confirmation.
privacy-requests-verify-done = This request is already confirmed.
privacy-requests-verify-view = See its status
privacy-requests-verify-no-token = To confirm a request, open the link in the email we sent you.

## A request's status
privacy-request-title = Your privacy request
privacy-request-heading = Your privacy request
privacy-request-kind = Request
privacy-request-kind-access = Access: a copy of your data
privacy-request-kind-correct = Correction
privacy-request-kind-delete = Deletion
privacy-request-kind-restrict = Restriction of processing
privacy-request-kind-object = Objection to processing
privacy-request-kind-port = Portability: a machine-readable copy
privacy-request-status = Status
privacy-request-status-unverified = Waiting for your confirmation
privacy-request-status-open = Open
privacy-request-status-extended = Open, extended once
privacy-request-status-completed = Completed
privacy-request-status-refused = Refused
privacy-request-sent = Sent
privacy-request-confirmed = Confirmed
privacy-request-due = Answer due by
privacy-request-extended-on = Extended on
privacy-request-closed = Answered
privacy-request-unverified-hint = Follow the link in the email we sent to confirm this request. It works for 7 days; our 30-day deadline starts when you confirm.
privacy-request-keep-link = Keep the link from our email: it lets you see this page without signing in.
privacy-request-extension-heading = Why we need more time
privacy-request-resolution-completed = What we did
privacy-request-resolution-refused = Why we can’t carry it out
privacy-request-complaint = If you disagree, reply to our email and we’ll look at it again. You may also complain to a data protection supervisory authority.
privacy-request-details = What you wrote
privacy-request-not-found = We couldn’t find this request. Open the whole link from our email, or sign in with the account it belongs to.
