## The consent banner
consent-title = Cookies on banana nano
consent-body = We use essential cookies to keep you signed in and remember your language. With your permission we’d also like to count page visits (analytics) and remember which campaign brought you here (marketing). Nothing of that runs until you choose, and you can change your mind at any time in your privacy settings.
consent-body-short = Essential cookies keep you signed in. May we also count visits and remember campaign links? Nothing runs until you choose.
consent-cookie-policy = Read the cookie policy
consent-reject-all = Reject all
consent-accept-all = Accept all
consent-customize = Customize
consent-categories = Choose by category
consent-essential = Essential
consent-essential-hint = sign-in, language, security and your consent choice. Always on: the site can’t work without them.
consent-analytics = Analytics
consent-analytics-hint = counts which pages are visited, on our own servers. Never sold, never shared.
consent-marketing = Marketing
consent-marketing-hint = remembers the campaign link that brought you here for 30 days.
consent-save = Save my choices

## /settings/privacy
settings-nav-privacy = Privacy
privacy-settings-title = Privacy settings
privacy-settings-heading = Privacy
privacy-settings-intro = Everything our privacy policy promises you can do yourself, here. Changes take effect at once.
privacy-settings-policy-link = Read the privacy policy
privacy-on = on
privacy-off = off
privacy-notice-consent-saved = Your cookie choices are saved.

privacy-consent-heading = Cookies and tracking
privacy-consent-current = Analytics: { $analytics }. Marketing: { $marketing }.
privacy-consent-undecided = You haven’t made a choice yet, so only essential cookies are used.
privacy-consent-gpc = Your browser sends the Global Privacy Control signal. We treat it as “reject all”: no analytics or marketing cookies, whatever is chosen below, for as long as the signal is on.
privacy-consent-withdraw = Withdraw all consent
privacy-consent-history = Your recorded choices
privacy-source-banner = Cookie banner
privacy-source-settings = Privacy settings
privacy-source-gpc = Global Privacy Control
privacy-source-withdraw = Withdrawn
privacy-col-when = When
privacy-col-where = Where
privacy-col-version = Policy version
privacy-col-status = Status
privacy-col-expires = Link expires
privacy-col-size = Size
privacy-col-kind = Request
privacy-col-due = Due

privacy-export-heading = Download your data
privacy-export-body = We’ll gather everything we hold about you — your account, orders and credits, prompts, uploads and images, settings and records — into a ZIP of machine-readable JSON files with your images, and email you a link. The link works for { $days } days and only when you’re signed in.
privacy-export-button = Prepare my download
privacy-export-list = Your downloads
privacy-export-status-queued = Waiting to start
privacy-export-status-running = Being prepared
privacy-export-status-ready = Ready — check your email
privacy-export-status-failed = Failed — please ask again

privacy-correct-heading = Correct your data
privacy-correct-body = Your name, picture, language, contact details, email address and password can be changed at any time. For anything else that’s wrong, send us a correction request below.
privacy-correct-profile = Edit my profile
privacy-correct-security = Email and password

privacy-processing-heading = Limit how we use your data
privacy-processing-body = These choices stop analytics, marketing and any personalisation for your account while they’re on. The service itself — generating images, your history, billing — keeps working.
privacy-restrict = Restrict processing
privacy-restrict-hint = for example while you contest whether your data is accurate.
privacy-object = Object to processing based on our legitimate interests
privacy-object-hint = such as product analytics and improvement.
privacy-processing-save = Save

privacy-marketing-heading = Marketing email
privacy-marketing-on = You get occasional news and offers from us. Every one has a one-click unsubscribe link.
privacy-marketing-off = You don’t get marketing email from us. Service notices about your account, orders and our policies still arrive.
privacy-marketing-subscribe = Send me news and offers
privacy-marketing-unsubscribe = Stop marketing email

privacy-rights-heading = Rights requests
privacy-rights-body = If something can’t be done here, or you’d rather write to us, send a request: access, correction, deletion, restriction, objection or a portable copy. We answer within 30 days; if we ever need longer, we’ll tell you why before the deadline, and we can extend only once.
privacy-rights-new = Send a request
privacy-rights-list = Your requests

privacy-delete-heading = Delete your account
privacy-delete-body = You’ll be signed out everywhere at once. Your images, uploads, prompts and downloads are deleted straight away. Your profile is kept for { $days } days so we can answer disputes and fraud checks, then erased. Payment and credit records are kept for the period tax law requires, with your name and email removed.
privacy-delete-password = Your password
privacy-delete-code = Code from your authenticator app
privacy-delete-recent-sign-in = Your account signs in with Google or GitHub: to delete it, you must have signed in within the last 15 minutes. Sign out and in again first if it’s been longer.
privacy-delete-confirm = Type { $email } to confirm
privacy-delete-button = Delete my account permanently

## /terms/accept
terms-accept-title = Updated terms
terms-accept-heading = Our terms have changed
terms-accept-body = We’ve published a new version of the terms of service with changes that affect how you use banana nano. Please read it and accept it to continue. Your account, credits and images are untouched either way.
terms-accept-read = Read the new terms
terms-accept-versions = Compare with earlier versions
terms-accept-checkbox = I have read and accept the new terms of service.
terms-accept-button = Accept and continue
terms-accept-decline = Not now — sign me out
terms-accept-error-unticked = Tick the box to accept the new terms, or sign out.
terms-accept-notice = Thank you — the new terms are accepted.

## The notice of a material policy change
policy-notice-body = We’ve made an important change to our { $doc ->
        [privacy] privacy policy
        [terms] terms of service
        [cookies] cookie policy
       *[other] subprocessor list
    }, effective { $date }.
policy-notice-read = Read what changed
policy-notice-dismiss = Got it
