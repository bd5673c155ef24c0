# Transactional email: the words of every message banana nano sends.
# Plain text only: the layout adds the markup and escapes every value, so never put HTML here.
# Arguments: $name (the person's display name), $new_email (an address), $site (our host name).

## The frame around every message
email-greeting = Hi { $name },
email-greeting-anonymous = Hi there,
email-link-fallback = If the button doesn’t work, copy this link into your browser:
email-signoff = — The banana nano team
email-footer-reason = You’re receiving this because of an action on a banana nano account. It’s a service email, so it arrives even if you’ve turned off newsletters.

## Message::VerifyEmail
email-verify-subject = Confirm your email address for banana nano
email-verify-heading = One click and you’re in
email-verify-body = Thanks for signing up for banana nano! Please confirm that this address is yours, so we can keep your account safe and your creations within reach.
email-verify-button = Confirm my email
email-verify-expiry = This link works for 24 hours.
email-verify-ignore = Didn’t sign up? Someone may have used your address, by mistake or on purpose. Open the link and choose “I did not sign up”: whoever it was is signed out, the password they chose stops working, and you decide what happens to the account.

## Message::ResetPassword
email-reset-subject = Reset your banana nano password
email-reset-heading = Choose a new password
email-reset-body = We received a request to reset the password for your banana nano account. Use the button below to choose a new one.
email-reset-button = Choose a new password
email-reset-expiry = This link works for 1 hour and only once.
email-reset-ignore = Didn’t ask for this? You can ignore this email. Your password stays as it is, and nobody can change it without this link.

## Message::ConfirmNewEmail (sent to the new address)
email-confirm-new-email-subject = Confirm your new email address for banana nano
email-confirm-new-email-heading = Confirm your new address
email-confirm-new-email-body = You asked to use this address for your banana nano account. Confirm it, and we’ll send everything here from now on.
email-confirm-new-email-button = Confirm new address
email-confirm-new-email-expiry = This link works for 24 hours. Until you confirm, your account keeps its current address.
email-confirm-new-email-ignore = Didn’t ask for this? You can ignore this email and nothing will change.

## Message::EmailChanged (a notice to the old address)
email-email-changed-subject = The email address on your banana nano account was changed
email-email-changed-heading = Your email address was changed
email-email-changed-body = Your banana nano account now uses { $new_email }. Account emails will go there from now on.
email-email-changed-not-you = If you didn’t make this change, reply to this email straight away and we’ll help you secure your account.

## Message::PasswordChanged
email-password-changed-subject = Your banana nano password was changed
email-password-changed-heading = Your password was changed
email-password-changed-body = The password for your banana nano account was just changed. If that was you, you’re all set: there’s nothing else to do.
email-password-changed-not-you = If it wasn’t you, reset your password right away with the button below. The reset link goes only to this address, so you stay in control.
email-password-changed-button = Reset my password

## Message::AccountExists (someone tried to sign up with an address that has an account)
email-account-exists-subject = You already have a banana nano account
email-account-exists-heading = You already have an account
email-account-exists-body = Someone just tried to sign up for banana nano with this address. It already has an account, so nothing new was created.
email-account-exists-button = Sign in
email-account-exists-forgot = Forgotten your password? Choose “Forgot password” on the sign-in page and we’ll send you a reset link.
email-account-exists-ignore = If that wasn’t you, you can ignore this email: your account and password are unchanged.

## Message::AdminInvite
email-admin-invite-subject = You’re invited to help run banana nano
email-admin-invite-heading = Set your administrator password
email-admin-invite-body = An administrator has created an admin account for you on banana nano at { $site }. Set a password to sign in.
email-admin-invite-button = Set my password
email-admin-invite-expiry = This link works for 24 hours. If it expires, ask the person who invited you to send a new one.
email-admin-invite-ignore = Weren’t expecting this? You can ignore this email: the account can’t be used until a password is set.

## Message::PolicyUpdated (a service notice about a material change to a legal document)
email-policy-updated-subject = We’ve updated banana nano’s { $doc ->
        [privacy] privacy policy
        [terms] terms of service
        [cookies] cookie policy
       *[other] subprocessor list
    }
email-policy-updated-heading = An important change to our { $doc ->
        [privacy] privacy policy
        [terms] terms of service
        [cookies] cookie policy
       *[other] subprocessor list
    }
email-policy-updated-body = We’ve published version { $version } of this document, and the change matters to how you use banana nano, so we’re telling you directly.
email-policy-updated-what = Read what changed with the button below. Every earlier version stays available in the archive linked from the document.{ $doc ->
        [terms] {" "}The next time you sign in, we’ll ask you to accept the new terms before you continue.
       *[other] {""}
    }
email-policy-updated-button = Read the new version
email-policy-updated-service = This is a service notice about your account, so it’s sent even if you’ve opted out of marketing email.

## Message::Marketing (news and offers, only to people who opted in)
## $subject is the operator's subject line; the body is the operator's own text.
email-marketing-subject = { $subject }
email-marketing-heading = { $subject }
email-marketing-unsubscribe = Unsubscribe with one click
email-marketing-preferences = Manage your email preferences
email-marketing-footer-reason = You’re receiving this because you chose to get news and offers from banana nano. You can stop at any time with one click; emails about your account still arrive.

## Message::BreachNotice (a service notice about a personal-data breach)
## $summary is the operator's account of what happened, $detected a date, $contact an address,
## $categories the names below joined into a list.
email-breach-subject = Important: a security incident involved your banana nano data
email-breach-heading = A security incident involved your data
email-breach-body = We’re writing to let you know that a security incident at banana nano involved some of your personal data. We became aware of it on { $detected }.
email-breach-what = What happened: { $summary }
email-breach-data = The kinds of your data involved: { $categories }.
email-breach-doing = What we’re doing: we have contained the incident, are investigating how it happened, and have reported it to the data protection authority where the law requires. If we learn anything that changes what you should do, we’ll write to you again.
email-breach-you = What you can do: choose a new password for banana nano and for any other service where you used the same one, check which devices are signed in to your account, and be wary of messages asking for your password or payment details. We never ask for them by email.
email-breach-button = Review my account security
email-breach-contact = Questions? Write to us at { $contact } and a person will answer you.
email-breach-service = This is a service notice about your data, so it’s sent even if you’ve opted out of marketing email.

## Names of the kinds of personal data, as emails list them
email-category-account = account details
email-category-usage = usage data
email-category-device-network = device and network data such as IP addresses
email-category-cookies = cookie data
email-category-orders-payments = orders and payment records
email-category-uploads-prompts = uploaded images and prompts
email-category-generated-content = generated images
email-category-guest-data = data from before you signed up
email-category-logs-analytics = logs and analytics events
email-category-support-marketing = support conversations and newsletter preferences

## Rights requests written in (Message::PrivacyRequest*). They may go to addresses without
## an account, so they greet no one by name. $kind is access | correct | delete | restrict |
## object | port; $due is a date (UTC); $outcome is completed | refused.
email-privacy-request-verify-subject = Confirm your privacy request to banana nano
email-privacy-request-verify-heading = Please confirm your request
email-privacy-request-verify-body = Someone using this email address asked banana nano for { $kind ->
        [access] a copy of their personal data
        [correct] a correction of their personal data
        [delete] the deletion of their personal data
        [restrict] a restriction of how we use their personal data
        [object] an end to how we use their personal data, objecting to it
       *[port] a machine-readable copy of their personal data to take elsewhere
    }. Before we act on it, please confirm that it was you.
email-privacy-request-verify-button = Confirm my request
email-privacy-request-verify-expiry = This link works for 7 days. We answer within 30 days of your confirmation.
email-privacy-request-verify-ignore = Didn’t ask for this? You can ignore this email: nothing happens without your confirmation, and an unconfirmed request is deleted after 7 days.
email-privacy-request-received-subject = We’ve received your privacy request
email-privacy-request-received-heading = Your request is with us
email-privacy-request-received-body = Thank you. We’ve received your request for { $kind ->
        [access] a copy of your personal data
        [correct] a correction of your personal data
        [delete] the deletion of your personal data
        [restrict] a restriction of how we use your personal data
        [object] an end to how we use your personal data
       *[port] a machine-readable copy of your personal data
    }, and it is confirmed as yours.
email-privacy-request-received-due = We will answer by { $due } (UTC) at the latest.
email-privacy-request-received-button = Follow my request
email-privacy-request-received-extension = If your request is complex we may need up to 30 more days. We can extend only once, and we’ll tell you why before the date above.
email-privacy-request-received-keep = Keep this email: the button shows your request’s status, and only someone with this link can see it.
email-privacy-request-extended-subject = We need more time for your privacy request
email-privacy-request-extended-heading = Your request’s new date
email-privacy-request-extended-body = We need more time to answer your request for { $kind ->
        [access] a copy of your personal data
        [correct] a correction of your personal data
        [delete] the deletion of your personal data
        [restrict] a restriction of how we use your personal data
        [object] an end to how we use your personal data
       *[port] a machine-readable copy of your personal data
    }. We will answer by { $due } (UTC) at the latest; this is the only extension we can take. Our reason:
email-privacy-request-extended-questions = Questions about the delay? Reply to this email and a person will answer you.
email-privacy-request-closed-subject = { $outcome ->
        [completed] We’ve completed your privacy request
       *[refused] We can’t carry out your privacy request
    }
email-privacy-request-closed-heading = { $outcome ->
        [completed] Your request is done
       *[refused] Our answer to your request
    }
email-privacy-request-closed-body = { $outcome ->
        [completed] We’ve completed your request for { $kind ->
            [access] a copy of your personal data
            [correct] a correction of your personal data
            [delete] the deletion of your personal data
            [restrict] a restriction of how we use your personal data
            [object] an end to how we use your personal data
           *[port] a machine-readable copy of your personal data
        }. What we did:
       *[refused] We’ve looked carefully at your request for { $kind ->
            [access] a copy of your personal data
            [correct] a correction of your personal data
            [delete] the deletion of your personal data
            [restrict] a restriction of how we use your personal data
            [object] an end to how we use your personal data
           *[port] a machine-readable copy of your personal data
        }, and we can’t carry it out. Why:
    }
email-privacy-request-closed-next = { $outcome ->
        [completed] If something isn’t right, reply to this email and we’ll look at it again.
       *[refused] If you disagree, reply to this email and we’ll look at it again. You also have the right to lodge a complaint with a data protection supervisory authority, such as the one where you live or work, and to seek a remedy in court.
    }

## Self-service data export and account deletion

## Message::DataExportReady
email-data-export-subject = Your banana nano data export is ready
email-data-export-heading = Your data is ready to download
email-data-export-body = The copy of your personal data you asked for is ready: one JSON file for each kind of data we hold about you, with the images you uploaded and created.
email-data-export-button = Download my data
email-data-export-expiry = The link works until { $expires }, and only while you’re signed in to your account. Then the file is deleted; you can ask for a new copy at any time in your privacy settings.
email-data-export-ignore = Didn’t ask for this? Then someone else is signed in to your account: change your password and sign out other devices in your security settings.

## Message::AccountDeleted
email-account-deleted-subject = Your banana nano account was deleted
email-account-deleted-heading = Your account is deleted
email-account-deleted-body = As you asked, we deleted your banana nano account. You were signed out everywhere, and your uploads, creations, prompts and history are gone.
email-account-deleted-kept = We keep your profile for 90 days in case a payment dispute needs it, then erase it. Records of your payments and credits stay for 7 years, as tax law requires, under a pseudonym that no longer names you.
email-account-deleted-not-you = If you didn’t do this, reply to this email straight away.

## Support tickets (Message::SupportTicketConfirm, Message::SupportReply). They may go to
## visitors without an account, so they greet no one by name. $topic is account | billing |
## generation | privacy | other.
email-support-confirm-subject = Confirm your message to banana nano support
email-support-confirm-heading = Please confirm your message
email-support-confirm-body = Someone using this email address sent banana nano support a message about { $topic ->
        [account] their account
        [billing] billing and credits
        [generation] image generation
        [privacy] a privacy matter
       *[other] something else
    }. Please confirm that it was you, and we’ll pass it to our support team.
email-support-confirm-button = Confirm my message
email-support-confirm-expiry = This link works for 7 days.
email-support-confirm-ignore = Didn’t write to us? You can ignore this email: nobody reads an unconfirmed message, and it is deleted after 7 days.
email-support-reply-subject = banana nano support answered your message
email-support-reply-heading = We’ve answered your message
email-support-reply-body = Here is our answer to your message about { $topic ->
        [account] your account
        [billing] billing and credits
        [generation] image generation
        [privacy] a privacy matter
       *[other] something else
    }:
email-support-reply-button = Read and reply
email-support-reply-reply = The button opens the whole conversation, where you can answer us. Only someone with this link can read it.
