# The dashboard (/dashboard): where signing in lands.

dashboard-title = Dashboard
dashboard-heading = Hello, { $name }
dashboard-lead = Your credits, what is being made, your latest pictures and anything that needs you.

dashboard-settings = Account settings

## Notices
dashboard-notices-heading = Needs your attention
dashboard-notice-policy = We made an important change to our { $doc ->
        [privacy] privacy policy
        [terms] terms of service
        [cookies] cookie policy
       *[other] subprocessor list
    }; it applies from { $date }.
dashboard-notice-policy-action = Read what changed
dashboard-notice-payment = The payment for order { $number } on { $date } did not go through, so no credits were added.
dashboard-notice-payment-action = Try again
dashboard-notice-export = Your data export is ready. Download it with the link in the email we sent you; it works until { $date }.
dashboard-notice-export-action = Your exports
dashboard-notice-request = { $status ->
        [refused] We answered your request ({ $kind }): we could not do what it asks, and the answer says why.
       *[completed] We answered your request ({ $kind }): it is done.
    }
dashboard-notice-request-action = Read the answer

## Balance
dashboard-balance-heading = Credits
dashboard-balance-unit = credits
dashboard-balance-negative = Your balance is negative after a refund or a dispute. Generating is paused until it is positive again.
dashboard-balance-held = { $credits ->
        [one] 1 credit is held for an image being made.
       *[other] { $credits } credits are held for images being made.
    }
dashboard-expiring-soon = { $credits ->
        [one] 1 credit expires within 30 days
       *[other] { $credits } credits expire within 30 days
    }
dashboard-expiring-first = The first on { $date } (UTC).
dashboard-buy-credits = Buy credits
dashboard-billing = Billing and history

## Prompt
dashboard-prompt-heading = Make something new
dashboard-prompt-label = Describe the picture
dashboard-prompt-placeholder = A banana-yellow vespa on a rainy Tokyo street at night, neon reflections
dashboard-prompt-hint = The workbench opens with your words; choose the model and options there.
dashboard-prompt-submit = Continue on the workbench

## Tasks under way
dashboard-running-heading = Being made
dashboard-running-empty = Nothing is being made right now.
dashboard-to-workbench = Open the workbench
dashboard-task-queued = Waiting
dashboard-task-running = Making
dashboard-task-waiting = Waiting for its turn…
dashboard-task-working = Working on it…
dashboard-task-progress = { $percent }%
dashboard-task-progress-label = Progress

## Latest results
dashboard-latest-heading = Latest pictures
dashboard-latest-empty = Your finished pictures will show here.
dashboard-latest-all = See them all on the workbench
