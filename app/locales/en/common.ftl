# Shared by every page: the frame, navigation, errors.
lang-name = English
brand-home = banana nano, home
nav-skip = Skip to content
nav-primary = Main
nav-workbench = Workbench
nav-pricing = Pricing
nav-sign-in = Sign in
nav-language = Language
nav-sign-up = Create an account
nav-try-free = Try it free
nav-menu = Menu
nav-account-menu = Account menu:
nav-credits = { $credits ->
        [one] 1 credit
       *[other] { $credits } credits
    }
nav-buy-credits = Buy credits
nav-dashboard = Dashboard
nav-billing = Billing
nav-settings = Settings
nav-admin = Admin
nav-support = Help and support
nav-sign-out = Sign out
theme-to-dark = Switch to dark theme
theme-to-light = Switch to light theme
footer-tagline = An image studio for people who would rather describe than drag sliders.
footer-product = Product
footer-legal = Legal
footer-privacy = Privacy policy
footer-terms = Terms of service
footer-cookies = Cookies
footer-subprocessors = Subprocessors
footer-rights = © banana nano. Made with care, kept private by default.
not-found-title = We couldn’t find that page
not-found-body = The link may be old, or the address mistyped. Everything we have starts from the home page.
server-error-title = Something went wrong on our side
server-error-body = Nothing you did caused this, and nothing was charged. Please try again in a moment.
server-error-ref = Reference: { $id }
forbidden-title = That request was refused
forbidden-body = It did not come from a page of this site, so we did not act on it. Go back, reload the page and try again.
error-home = Back to the home page
error-request-too-large = That request is too large: it can be up to { $max_mb } MB.
