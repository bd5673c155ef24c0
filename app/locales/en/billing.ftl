# Buying credits and keeping track of them: pricing, checkout, billing settings, receipts,
# and payment disputes for admins.

## Products (also sent to the payment provider as the product's name)
billing-product-package = { $credits ->
        [one] 1 credit
       *[other] { $credits } credits
    }
billing-product-plan-month = Pro — { $credits } credits a month
billing-product-plan-year = Pro — { $credits } credits a year

## Messages after a form
billing-error-unknown-product = That product is not on sale any more. Please choose one of the offers below.
billing-error-unknown-order = We could not find that order.
billing-error-provider-unavailable = Payments are not available at the moment. Nothing was charged; please try again later.
billing-error-provider = The payment service could not start the checkout. Nothing was charged; please try again.
billing-error-internal = Something went wrong on our side. Nothing was charged; please try again in a moment.
billing-error-note-empty = Please write something before adding the note.
billing-profile-error-too-long = { $field ->
        [name] Please keep the name to 120 characters.
        [company] Please keep the company name to 120 characters.
        [address] Please keep the address to 500 characters.
        [tax_id] Please keep the tax ID to 40 characters.
       *[other] One of the fields is too long.
    }
billing-notice-profile-saved = Your billing details are saved.
billing-notice-subscription-cancelled = Your subscription will end at the close of the current period. You keep its credits until then.
admin-notice-dispute-note-added = The note is added.

## Pricing page
pricing-title = Pricing · banana nano
pricing-description = Credit packs and Pro plans for banana nano, priced in US dollars or Chinese yuan. See what each generation costs before you start.
pricing-heading = Pricing
pricing-lead = Credits pay for generations: you see the cost of each one before you start. Buy a pack once, or get a fresh allowance every month or year.
pricing-currency = Currency
pricing-currency-usd = US dollars (USD)
pricing-currency-cny = Chinese yuan (CNY)
pricing-signup-bonus = New accounts get { $credits } free credits, valid for { $days } days.
pricing-test-checkout-heading = Test checkout.
pricing-test-checkout-body = This instance uses a test checkout: no money moves and no card is asked for. You choose whether the payment succeeds.
pricing-sign-in-first = You will sign in or create an account before paying.
pricing-packages-heading = Credit packs
pricing-packages-lead = Pay once and use the credits whenever you like.
pricing-plans-heading = Pro plans
pricing-plans-lead = A fresh allowance of credits every period, at a better rate per image. Cancel any time.
pricing-popular = Most popular
pricing-valid-days = Valid for { $days } days after purchase
pricing-package-once = One payment, no renewal
pricing-per-month = per month
pricing-per-year = per year
pricing-plan-renews = Renews automatically until you cancel
pricing-plan-expiry = Unused credits expire at the end of each period
pricing-buy = Buy
pricing-subscribe = Subscribe
pricing-fine-print = A generation that fails or is refused costs nothing: its credits go back to you.

## Checkout
billing-provider-local = Test checkout
checkout-not-found-heading = We couldn’t find that order
checkout-not-found-body = It may belong to another account, or the link may be mistyped. Your orders are listed in your billing settings.
checkout-to-billing = Go to billing
checkout-to-workbench = Start creating
checkout-back-to-pricing = Back to pricing
checkout-local-title = Test checkout
checkout-local-eyebrow = Development only
checkout-local-heading = Test checkout
checkout-local-no-money = No money moves here. This checkout stands in for a real payment provider so the whole purchase can be tried out.
checkout-local-choose = Choose what the payment does:
checkout-local-pay = Pay
checkout-local-fail = Fail payment
checkout-local-cancel = Cancel
checkout-local-done = This order is no longer waiting for payment:
checkout-local-see-result = See the result
checkout-success-title = Your order
checkout-pending-heading = Confirming your payment…
checkout-pending-body = This usually takes a few seconds. The page updates by itself; you may also close it: your credits arrive either way.
checkout-paid-heading = Payment received
checkout-paid-body = { $credits ->
        [one] 1 credit was added to your account.
       *[other] { $credits } credits were added to your account.
    }
checkout-balance = Your balance is now
checkout-failed-heading = The payment did not go through
checkout-failed-body = Nothing was charged. You can try again, perhaps with another payment method.
checkout-cancelled-heading = Checkout cancelled
checkout-cancelled-body = Nothing was charged. You can start again whenever you like.
checkout-order-heading = Your order
checkout-cancel-title = Checkout cancelled
checkout-cancel-heading = Checkout cancelled — nothing was charged
checkout-cancel-body = You left the checkout before paying. Nothing was charged, and your balance is as it was.

## Billing settings
settings-nav-billing = Billing
billing-title = Billing
billing-heading = Billing
billing-balance-heading = Balance
billing-balance-unit = credits
billing-balance-available = Available
billing-balance-held = Held by running generations
billing-balance-frozen = On hold during a payment dispute
billing-balance-debt = Owed
billing-balance-held-hint = Held credits are taken when a generation finishes, or given back if it fails.
billing-balance-frozen-hint = Credits from a disputed payment are on hold until the dispute is settled.
billing-balance-negative = Your balance is negative because a payment was refunded or disputed after its credits were used. Spending is blocked until your balance is positive again; buying credits settles what is owed first.
billing-expiring-soon = { $credits ->
        [one] 1 credit expires within 30 days
       *[other] { $credits } credits expire within 30 days
    }
billing-buy-credits = Buy credits
billing-lots-heading = Your credits
billing-lots-lead = Credits are spent in the order they expire, soonest first. Times are in UTC.
billing-lots-table = Your credits by source
billing-lots-empty = You have no credits right now.
billing-lot-source = Source
billing-lot-left = Left
billing-lot-expires = Expires
billing-lot-status = Status
billing-lot-remaining = { $remaining } of { $amount }
billing-lot-never = Never
billing-lot-expiring = Expires soon
billing-lot-frozen = On hold
billing-source-signup-bonus = Welcome bonus
billing-source-purchase = Credit pack
billing-source-subscription = Pro plan
billing-source-referral = Referral bonus
billing-source-admin = From the banana nano team
billing-history-heading = History
billing-history-lead = Every change to your credits, newest first. Times are in UTC.
billing-history-table = Credit history
billing-history-filter = Show
billing-history-all = All changes
billing-history-apply = Filter
billing-history-empty = Nothing to show here yet.
billing-history-time = Time
billing-history-what = What
billing-history-change = Change
billing-history-after = Balance after
billing-history-older = Older entries
billing-kind-grant = Credits added
billing-kind-capture = Spent on a generation
billing-kind-reserve = Held for a generation
billing-kind-release = Returned from a generation
billing-kind-expire = Expired
billing-kind-claw-back = Taken back after a refund or dispute
billing-kind-adjust = Adjustment
billing-kind-freeze = Put on hold
billing-kind-unfreeze = Released from hold
billing-orders-heading = Orders
billing-orders-lead = Open an order for its receipt.
billing-orders-table = Your orders
billing-orders-empty = No orders yet.
billing-see-pricing = See pricing
billing-order-number = Order
billing-order-date = Date
billing-order-product = Product
billing-order-credits = Credits
billing-order-amount = Amount
billing-order-status = Status
billing-status-created = Awaiting payment
billing-status-paid = Paid
billing-status-failed = Failed
billing-status-cancelled = Cancelled
billing-status-refunded = Refunded
billing-status-disputed = Disputed
billing-subscriptions-heading = Subscription
billing-subscriptions-empty = You have no subscription.
billing-see-plans = See the Pro plans
billing-subscription-status-active = Active
billing-subscription-status-trialing = Trial
billing-subscription-status-past-due = Payment overdue
billing-subscription-status-paused = Paused
billing-subscription-status-unpaid = Unpaid
billing-subscription-status-incomplete = Incomplete
billing-subscription-status-cancelled = Cancelled
billing-subscription-status-ended = Ended
billing-subscription-cancelling = Ends at period end
billing-subscription-renews = Renews on
billing-subscription-ends = Ends on
billing-subscription-ended = Ended on
billing-subscription-via = Billed through
billing-subscription-cancel = Cancel at period end
billing-portal = Manage subscription
billing-portal-hint = Change your plan or payment method, cancel, or download invoices on the payment provider’s secure page.
billing-profile-heading = Billing details
billing-profile-lead = Printed on your receipts. All optional.
billing-profile-name = Name
billing-profile-company = Company
billing-profile-address = Address
billing-profile-tax-id = Tax ID
billing-profile-tax-id-hint = A VAT number or another tax identifier, if your business needs it on receipts.
billing-profile-submit = Save billing details
billing-referral-heading = Invite friends
billing-referral-bonus = Share your link. When someone signs up with it and makes their first purchase, you get { $mine } credits and they get { $theirs } credits.
billing-referral-link = Your referral link
billing-referral-stats = { $referred ->
        [one] 1 person signed up with your link
       *[other] { $referred } people signed up with your link
    }; { $rewarded ->
        [one] 1 has made a first purchase.
       *[other] { $rewarded } have made a first purchase.
    }

## Receipts
receipt-title = Receipt
receipt-heading = Receipt
receipt-back = ← Back to billing
receipt-document = Receipt
receipt-not-found = We couldn’t find that order among yours.
receipt-paid-with = Paid with
receipt-period = Period
receipt-billed-to = Billed to
receipt-item = Item
receipt-total = Total
receipt-refunded = Refunded
receipt-note = banana nano · Credits are valid as stated at purchase. Times are in UTC.
receipt-print = Print

## Admin: disputes
admin-payments-heading = Payments
admin-payments-lead = Disputed payments and the notes kept on them.
admin-disputes-link = Payment disputes
disputes-title = Payment disputes
disputes-heading = Payment disputes
disputes-lead = Open disputes first. The credits of a disputed payment stay on hold until it is settled. Times are in UTC.
disputes-empty = No payment has been disputed.
disputes-status-open = Open
disputes-status-won = Won
disputes-status-lost = Lost
disputes-reason = Reason
disputes-reason-unknown = Not given
disputes-provider = Provider
disputes-opened = Opened
disputes-closed = Closed
disputes-notes = Notes
disputes-no-notes = No notes yet.
disputes-note-system = Automatic
disputes-note-label = Add a note
disputes-note-submit = Add note
