# The legal pages: privacy policy, terms, cookie policy, subprocessors and their archives.
# Numbers, periods, processors and cookies come from the privacy registry; these are the words
# around them.

## Page frame

legal-toc-heading = On this page
legal-meta-version = Version { $version }
legal-meta-effective = In effect since { $date }
legal-archive-link = All versions
legal-english-governs = This is a translation. If it differs from the English version, the English version governs.
legal-versions-title = { $doc }: all versions
legal-versions-description = Every published version of this document, with the date it took effect.
legal-versions-intro = Each version stays readable exactly as it was published. Versions marked as material changed what we do with data or what you agree to, and were announced in the product and by email.
legal-versions-col-version = Version
legal-versions-col-effective = In effect since
legal-versions-col-published = Published
legal-versions-col-change = Change
legal-versions-material = Material
legal-versions-minor = Minor
legal-versions-current = current
legal-versions-none = No version has been published yet.
legal-versions-back = Read the current version
legal-archived-notice = You are reading the version in effect since { $date }. It is kept for reference.
legal-archived-current-link = Read the current version
legal-archived-is-current = This is the current version.

## Shared sentences and links

legal-governing-language = This document is written in English and translated into other languages. If a translation differs from the English version, the English version governs.
legal-operator-default = the operator of this website
legal-link-request-form = privacy request form
legal-link-support-form = support form
legal-link-subprocessors = subprocessors
legal-link-cookies = cookie policy
legal-link-privacy-settings = privacy settings
legal-link-archive = version archive
legal-link-privacy = privacy policy
legal-link-pricing = pricing page
legal-purpose-with-basis = { $purpose } ({ $basis })

## Periods

legal-period-hours = { $count ->
    [one] { $count } hour
   *[other] { $count } hours
}
legal-period-days = { $count ->
    [one] { $count } day
   *[other] { $count } days
}
legal-period-years = { $count ->
    [one] { $count } year
   *[other] { $count } years
}
legal-period-session = Until you close the browser

## Retention rules

legal-retention-while-active = While your account exists, then { $period } after you delete it
legal-retention-for = { $period } from when it is created, then deleted
legal-retention-unless-migrated = { $period }, then deleted, unless you move it into an account
legal-retention-then-anonymized = Up to { $period }, then only in aggregated or anonymized form
legal-retention-until-withdrawn = Until you unsubscribe or withdraw your consent

## Data categories

legal-category-account-name = Account
legal-category-account-contains = Email address, display name, avatar, language and theme; your password hash or the id of the Google or GitHub account you sign in with; sessions and signed-in devices; two-step verification settings; profile details you choose to add (company, region, phone, bio); abuse flags.
legal-category-usage-name = Usage
legal-category-usage-contains = Pages and features you use, when and how often, and error reports from your browser.
legal-category-device-network-name = Device and network
legal-category-device-network-contains = Device type, operating system, browser and version, IP address and the rough location it implies.
legal-category-cookies-name = Cookies
legal-category-cookies-contains = Cookies that keep you signed in, remember your choices and, only with your consent, measure use and campaigns.
legal-category-orders-payments-name = Orders, payments and credits
legal-category-orders-payments-contains = Order numbers, checkout, customer, subscription and invoice ids, amounts and currency, products and plans, credit balance and history (purchases, spending, expiry), dispute notes, and the billing details needed for invoices and tax. Never your full card number or security code.
legal-category-uploads-prompts-name = Uploads and prompts
legal-category-uploads-prompts-contains = Reference images, masks and brush strokes, prompts and negative prompts, styles, seeds and the other settings of each generation.
legal-category-generated-content-name = Generated images
legal-category-generated-content-contains = The images we generate for you, their thumbnails, download archives and the data needed to deliver them.
legal-category-guest-data-name = Guest data
legal-category-guest-data-contains = A guest’s random id, uploads, results and trial use, before they create an account.
legal-category-logs-analytics-name = Logs and analytics
legal-category-logs-analytics-contains = Server logs (requests, errors and security events) and, only with your consent, analytics events.
legal-category-support-marketing-name = Support and marketing
legal-category-support-marketing-contains = Messages you send us, your newsletter choices and survey answers.

## Purposes and legal bases

legal-purpose-provide-service = Providing the service
legal-purpose-provide-service-long = Providing the service you asked for: your account, the workbench, your history and the API
legal-purpose-billing = Billing
legal-purpose-billing-long = Taking payments, granting and spending credits, invoices and refunds
legal-purpose-security = Security
legal-purpose-security-long = Preventing abuse and fraud, enforcing limits, protecting uploads and investigating incidents
legal-purpose-improvement = Improvement
legal-purpose-improvement-long = Understanding how the product is used and making it better
legal-purpose-marketing = Marketing
legal-purpose-marketing-long = Newsletters, promotions and measuring campaigns
legal-purpose-compliance = Legal compliance
legal-purpose-compliance-long = Tax and accounting duties and lawful requests from authorities
legal-purpose-support = Support
legal-purpose-support-long = Answering your questions and requests
legal-basis-contract = performance of our contract with you
legal-basis-legal-obligation = legal obligation
legal-basis-legitimate-interest = legitimate interest
legal-basis-consent = your consent

## Cookie categories and cookies

legal-cookie-category-essential = Essential
legal-cookie-category-essential-about = needed for what you ask of the site, such as signing in, keeping your language, the guest workbench and protection against forged requests
legal-cookie-category-functional = Functional
legal-cookie-category-functional-about = remember choices you make in the interface, set only when you make them
legal-cookie-category-analytics = Analytics
legal-cookie-category-analytics-about = count visits and page views in our own, first-party analytics
legal-cookie-category-marketing = Marketing
legal-cookie-category-marketing-about = remember which campaign or link brought you to us
legal-cookies-consent-needed = only with your consent
legal-cookies-consent-not-needed = no consent needed
legal-cookie-session-purpose = Keeps you signed in and protects forms against cross-site request forgery. Renewed while you use the site.
legal-cookie-lang-purpose = Remembers the language you chose.
legal-cookie-guest-purpose = Lets you use the workbench without an account and keeps your uploads and results together until you sign up.
legal-cookie-theme-purpose = Remembers whether you chose the light or the dark theme.
legal-cookie-consent-purpose = Remembers your cookie choices, with a random id they are recorded under, so we do not ask again.
legal-cookie-bn_aid-purpose = A random id that lets our own analytics count visits and page views.
legal-cookie-bn_utm-purpose = Remembers which campaign or link brought you here, so we can tell which promotions work.

## Processors

legal-processors-col-name = Service
legal-processors-col-service = What it does for us
legal-processors-col-data = Data it receives
legal-processors-col-location = Where
legal-processor-stripe-service = Takes payments by card, WeChat Pay and Alipay, and subscriptions
legal-processor-creem-service = Takes payments and subscriptions
legal-processor-gemini-service = Generates and edits images with Google’s models
legal-processor-kie-service = Generates and edits images with the models it hosts
legal-processor-openai-service = Generates and edits images with OpenAI’s models
legal-processor-replicate-service = Runs the image models hosted on Replicate
legal-processor-resend-service = Delivers our emails
legal-processor-smtp-service = Delivers our emails through the operator’s mail server
legal-processor-image-check-service = Checks uploaded and generated images for content we do not allow
legal-processor-s3-service = Stores uploaded and generated files
legal-processor-turnstile-service = Tells people from bots at sign-up, sign-in and guest generation
legal-processor-google-oauth-service = Signs you in with your Google account, if you choose to
legal-processor-github-oauth-service = Signs you in with your GitHub account, if you choose to
legal-place-united-states = United States
legal-place-european-union = European Union
legal-place-singapore = Singapore
legal-place-as-configured-by-the-operator = the region chosen by the operator
legal-place-global-cloudflare-network = worldwide (Cloudflare’s network)

## Privacy policy

legal-privacy-title = Privacy policy
legal-privacy-description = What personal data banana nano keeps, why, for how long, who else receives it, and how to use your rights.
legal-privacy-summary = We keep what we need to run banana nano for you and nothing for sale. This page says what that is, why, for how long, who helps us, and how you stay in control.
legal-privacy-intro-heading = Who we are
legal-privacy-intro-1 = This policy explains how { $operator } (“we”) handles personal data when you use banana nano: the website, the workbench, the API, our emails and support. We decide why and how this data is processed, so we are responsible for it as its controller.
legal-privacy-intro-2 = We do not sell your personal data, and we do not share it for advertising that follows you across other sites. Questions about this policy go to { $contact }.
legal-privacy-intro-2-by-form = We do not sell your personal data, and we do not share it for advertising that follows you across other sites. Questions about this policy can be sent to us through our { $contact }.
legal-privacy-data-heading = What we collect and why
legal-privacy-data-1 = Every kind of personal data we keep, what it includes, and the purposes we use it for, each with its legal basis:
legal-privacy-col-category = Data
legal-privacy-col-contains = What it includes
legal-privacy-col-purposes = Purposes (legal basis)
legal-privacy-data-sources = Most of it comes from you: when you sign up, upload, write a prompt, buy credits or write to us. Some is recorded as you use the site (server logs, and analytics only with your consent). Some comes from services you choose to use with us: the sign-in provider you pick and the payment provider that takes your payment.
legal-privacy-data-sensitive = Please do not upload health, biometric or financial information, or pictures of other people, unless you are allowed to and they know.
legal-privacy-purposes-heading = Purposes and legal bases
legal-privacy-purposes-1 = We process personal data only for these purposes, each resting on the legal basis shown:
legal-privacy-col-purpose = Purpose
legal-privacy-col-basis = Legal basis
legal-privacy-purposes-consent = Where we rely on your consent, you can withdraw it at any time; what we did before stays lawful. Where we rely on a legitimate interest, you can object, and we stop unless we have compelling reasons that the law recognises.
legal-privacy-ai-heading = Your prompts, uploads and images
legal-privacy-ai-none = This site generates images only with its built-in offline engine, which runs on our own servers: your prompts and uploads are not sent to any model provider.
legal-privacy-ai-1 = When you generate or edit an image, your prompt, settings and reference images go to the provider of the model you chose, only so that it can produce your images. The model providers this site uses: { $providers }.
legal-privacy-ai-offline = The built-in offline engine is not AI and runs on our own servers: what you give it goes nowhere else.
legal-privacy-ai-training = We do not use your prompts, uploads or generated images to train or fine-tune our own models or anyone else’s, and we do not pass them to model providers for that purpose.
legal-privacy-ai-private = Your uploads and results are private to your account unless you choose to share them. Links to your files are signed and expire.
legal-privacy-ai-safety = Automated checks screen prompts for content our terms forbid. A person looks at flagged content only when that is needed to enforce the terms, and is bound to confidentiality.
legal-privacy-ai-image-check = This site also sends uploads and results to an image-checking service, only to screen them for forbidden content.
legal-privacy-ai-decisions = We make no decisions about you based solely on automated processing that have legal or similarly significant effects.
legal-privacy-ai-personal = A generated image can contain personal data if your prompt or uploads do. Look at results before you share them.
legal-privacy-ai-guests = You can try the workbench as a guest, without an account. A guest’s uploads and results are kept for { $period } and then deleted, unless you create an account or sign in and move them into it.
legal-privacy-sharing-heading = Who receives your data
legal-privacy-sharing-1 = We share personal data only with the service providers (processors) below, under data processing agreements that bind them to confidentiality and security, and each receives only what its task needs:
legal-privacy-sharing-none = This site currently uses no outside service provider that receives personal data.
legal-privacy-sharing-list = The list, with every earlier version, is also on the { $link } page.
legal-privacy-sharing-cards = Payments are taken by the payment provider. We never receive or store your full card number or security code.
legal-privacy-sharing-law = We disclose personal data to authorities only when the law requires it, or where it is needed to protect the rights, property or safety of the people who use banana nano, the public or us.
legal-privacy-sharing-transfer = If banana nano is merged, acquired or sold, personal data may pass to the new owner, who must keep to this policy or ask for your consent before using it differently.
legal-privacy-transfers-heading = International transfers
legal-privacy-transfers-1 = Our service providers handle data in these places: { $places }. That can be outside the country where you live.
legal-privacy-transfers-none = No service provider receives personal data from this site, so nothing is transferred abroad by us.
legal-privacy-transfers-2 = When data leaves the European Economic Area, the United Kingdom or Switzerland, we rely on an adequacy decision or on the Standard Contractual Clauses, and the data is encrypted in transit and open only to those who need it. You can ask us for a copy of these safeguards.
legal-privacy-cookies-heading = Cookies
legal-privacy-cookies-1 = We use a few cookies of our own and no advertising cookies of other companies:
legal-privacy-cookies-line = { $category } ({ $consent }): { $names }
legal-privacy-cookies-more = What each cookie does and how long it lasts is in our { $link }, which also explains how to change your choices.
legal-privacy-retention-heading = How long we keep data
legal-privacy-retention-1 = We keep each kind of data only as long as we need it:
legal-privacy-retention-line = { $category }: { $retention }.
legal-privacy-retention-deletion = When you delete your account, you are signed out and your content is removed at once. What remains of your profile is kept for { $period } to settle disputes and then erased.
legal-privacy-retention-payments = Payment and credit records are kept for { $period } because tax and accounting law requires it. After your account is erased, they no longer carry your name or id.
legal-privacy-retention-end = You can delete uploads and images sooner yourself. When a period ends, the data is deleted or kept only in a form that no longer identifies anyone.
legal-privacy-rights-heading = Your rights
legal-privacy-rights-1 = Laws such as the GDPR, the UK GDPR, Brazil’s LGPD and California’s privacy law give you rights over your data. We offer them to everyone, wherever you live:
legal-privacy-right-access = Access: get a copy of the personal data we hold about you.
legal-privacy-right-correct = Correction: have inaccurate or incomplete data put right.
legal-privacy-right-delete = Deletion: have your account and data erased, apart from what the law requires us to keep.
legal-privacy-right-restrict = Restriction: have us stop using your data for anything beyond keeping it and providing the service, for example while a complaint is looked at.
legal-privacy-right-object = Objection: object to processing based on our legitimate interests, such as analytics.
legal-privacy-right-portability = Portability: receive your data in a structured, machine-readable format to take elsewhere.
legal-privacy-right-withdraw = Withdrawing consent: at any time, as easily as you gave it, without affecting what we did before.
legal-privacy-right-no-sale = No sale or sharing: we never sell your data or share it for cross-context behavioural advertising, so there is nothing to opt out of, but you may still ask us to confirm it.
legal-privacy-right-gpc = Global Privacy Control: if your browser sends this signal, we treat it as your refusal of analytics and marketing cookies.
legal-privacy-right-marketing = Marketing: stop newsletters and promotions at any time, through the link in every such email or in your settings. Service emails about your account continue.
legal-privacy-right-complain = Complaint: lodge a complaint with a data protection supervisory authority.
legal-privacy-exercise-heading = How to use your rights
legal-privacy-exercise-self = Signed in, you can do most of this yourself at once in your { $settings }: download your data, delete your account, restrict or object to processing, change cookie choices and stop marketing email.
legal-privacy-exercise-form = If you cannot use those tools (you have no account, have lost access, or want something they do not offer), send us a request through the { $form } or write to { $contact }.
legal-privacy-exercise-form-only = If you cannot use those tools (you have no account, have lost access, or want something they do not offer), send us a request through the { $form }.
legal-privacy-exercise-verify = We check that a request comes from the person the data is about: because you are signed in, or through a link we send to the email address of the account. We ask for nothing more than that check needs.
legal-privacy-exercise-deadline = We answer within { $deadline }. If a request is complex or we receive many, we may extend this once, by up to { $extension }; if so, we tell you within the first period, with the reason. Using your rights costs nothing.
legal-privacy-exercise-refusal = If we cannot do what you ask, for example because the law requires us to keep payment records, we tell you why, and you can complain to a supervisory authority.
legal-privacy-children-heading = Children
legal-privacy-children-1 = banana nano is for people aged { $age } or older. We do not knowingly collect data from younger children. If you believe a child has given us personal data, write to { $contact } and we will delete it.
legal-privacy-children-1-by-form = banana nano is for people aged { $age } or older. We do not knowingly collect data from younger children. If you believe a child has given us personal data, tell us through our { $contact } and we will delete it.
legal-privacy-security-heading = Security
legal-privacy-security-1 = We protect personal data with technical and organisational measures, among them:
legal-privacy-security-transport = Encryption in transit (TLS) for every connection.
legal-privacy-security-storage = Encryption at rest for the database and file storage, with secrets kept apart from the data.
legal-privacy-security-passwords = Passwords stored only as strong one-way hashes; two-step verification available to everyone and required for administrators.
legal-privacy-security-tokens = Links we email and links to your files are signed and expire; the tokens in them are stored only as keyed hashes.
legal-privacy-security-access = Access for staff on a need-to-know basis with separate roles, and separate environments for development and production.
legal-privacy-security-audit = An audit log of administrative and privacy actions, and monitoring for intrusions.
legal-privacy-security-2 = No service on the internet can promise perfect security, but we test these measures regularly, penetration tests included, and improve them.
legal-privacy-breach-heading = If something goes wrong
legal-privacy-breach-1 = If a security breach puts your personal data at risk, we tell you without undue delay: what happened, which data is affected, what we are doing about it and what you can do. Where the law requires, we also notify the competent supervisory authority, within 72 hours of learning of the breach.
legal-privacy-changes-heading = Changes to this policy
legal-privacy-changes-1 = Each version of this policy is published with the date it takes effect, and earlier versions stay readable in the { $archive }.
legal-privacy-changes-2 = If a change is material, meaning it changes what we do with your data or the choices you have, we tell you by a notice in the product and by email.
legal-privacy-contact-heading = Contact and complaints
legal-privacy-contact-1 = This policy is provided by { $operator }. Write to { $contact } with any question about it or about your data.
legal-privacy-contact-1-by-form = This policy is provided by { $operator }. Send any question about it or about your data through our { $contact }.
legal-privacy-contact-support = For help with banana nano itself (your account, billing or image generation), write to us through the { $support }.
legal-privacy-contact-complain = You also have the right to complain to a data protection supervisory authority, in particular where you live, where you work or where you believe the law was broken. We would be glad to have the chance to put things right first.

## Cookie policy

legal-cookies-title = Cookie policy
legal-cookies-description = Every cookie banana nano sets, what it is for, how long it lasts, and how to change your choices.
legal-cookies-summary = Cookies are small files a website keeps in your browser. Here is each one we set and how to change your choices.
legal-cookies-about-heading = About our cookies
legal-cookies-about-1 = All the cookies below are set by this site itself (first-party). We do not let advertising networks or other companies set cookies through our pages.
legal-cookies-about-2 = Essential cookies are needed for what you ask of the site. Analytics and marketing cookies are set only after you agree, and you can change your mind at any time.
legal-cookies-list-heading = The cookies we set
legal-cookies-col-name = Name
legal-cookies-col-category = Category
legal-cookies-col-purpose = Purpose
legal-cookies-col-lifetime = Lifetime
legal-cookies-col-party = Set by
legal-cookies-first-party = This site (first-party)
legal-cookies-categories-heading = Categories
legal-cookies-category-line = { $category }: { $about } ({ $consent }).
legal-cookies-choices-heading = Changing your choices
legal-cookies-choices-banner = On your first visit a banner asks which optional cookies you accept. Refusing is as easy as accepting, and nothing optional is set before you choose.
legal-cookies-choices-settings = You can change your choices at any time in your { $settings }. Withdrawing consent stops the optional cookies and what they were for.
legal-cookies-choices-gpc = If your browser sends a Global Privacy Control signal, we treat it as a refusal of analytics and marketing cookies, whatever was chosen before.
legal-cookies-choices-browser = You can also block or delete cookies in your browser’s settings. Without essential cookies you cannot sign in or use the workbench.
legal-cookies-more-heading = More information
legal-cookies-more-1 = How we handle the data these cookies concern is explained in our { $privacy }. Earlier versions of this page are in the { $archive }. Questions go to { $contact }.
legal-cookies-more-1-by-form = How we handle the data these cookies concern is explained in our { $privacy }. Earlier versions of this page are in the { $archive }. Questions can be sent to us through our { $contact }.

## Subprocessors

legal-subprocessors-title = Subprocessors
legal-subprocessors-description = The outside services that process personal data for this banana nano site, what each receives and where.
legal-subprocessors-summary = The outside companies that process personal data for us on this site, what each receives and where it works.
legal-subprocessors-about-heading = About this list
legal-subprocessors-about-1 = A subprocessor is a company that handles personal data on our behalf, for example to take a payment or generate an image. Each one works under a data processing agreement and receives only what its task needs.
legal-subprocessors-about-2 = The list follows the configuration this site actually runs with: a service appears here as soon as it is switched on and disappears when it is switched off.
legal-subprocessors-active-heading = Subprocessors this site uses
legal-subprocessors-active-none = This site currently uses no subprocessor: no outside company receives personal data from it.
legal-subprocessors-inactive-heading = Supported but not used here
legal-subprocessors-inactive-1 = banana nano can work with these services, but this site does not use them, and they receive no data from us:
legal-subprocessors-inactive-none = This site uses every service banana nano supports.
legal-subprocessors-inactive-line = { $name }: { $service }
legal-subprocessors-safeguards-heading = Safeguards
legal-subprocessors-safeguards-1 = Where a subprocessor works outside the European Economic Area, the United Kingdom or Switzerland, the transfer rests on an adequacy decision or the Standard Contractual Clauses, with encryption in transit.
legal-subprocessors-safeguards-2 = More on how we handle personal data is in our { $privacy }. Earlier versions of this list are in the { $archive }.

## Terms of service

legal-terms-title = Terms of service
legal-terms-description = The agreement between you and us for using banana nano: accounts, credits, acceptable use, your content and our responsibilities.
legal-terms-summary = The rules for using banana nano, written to be read: what we provide, what you may do with it, how credits work, and what each of us is responsible for.
legal-terms-agreement-heading = This agreement
legal-terms-agreement-1 = These terms are an agreement between you and { $operator } (“we”) about your use of banana nano: the website, the workbench and the API. By creating an account, or by using the service as a guest, you accept them.
legal-terms-agreement-2 = How we handle personal data is explained in our { $privacy }, which is part of how we provide the service but not a contract you sign.
legal-terms-service-heading = The service
legal-terms-service-1 = banana nano is an image studio: you describe an image or upload references, and a model you choose generates or edits images. The image models are run by outside providers, named in our list of subprocessors.
legal-terms-service-offline = The built-in offline engine is labelled as such: it is not AI, and draws the same picture for the same settings every time.
legal-terms-service-changes = We may improve, change or retire features and models. When a change removes something you paid for, we tell you beforehand and you keep what you already bought or receive a fair refund.
legal-terms-accounts-heading = Your account
legal-terms-accounts-1 = Give accurate details, keep your password and API keys secret, and tell us at once if you think someone else has used your account. An account is for one person; you are responsible for what is done with it.
legal-terms-accounts-2 = We may suspend an account that breaks these terms or puts other people or the service at risk. Unless the law or safety forbids it, we tell you why and give you the chance to respond.
legal-terms-age-heading = Minimum age
legal-terms-age-1 = You must be at least { $age } years old to use banana nano. By creating an account you confirm that you are.
legal-terms-credits-heading = Credits
legal-terms-credits-buy = Generations are paid for with credits. You buy them in packages or through a subscription at the prices on our { $pricing }; the price, the number of credits and how long they stay valid are shown before you pay.
legal-terms-credits-spend = Each generation shows its cost in credits before you start. The credits are held while it runs and charged only when it succeeds: a generation that fails or is refused costs nothing.
legal-terms-credits-expiry = Credits expire at the end of their validity: purchased packages after the period shown at purchase, subscription credits at the end of each billing period. Credits that expire soonest are spent first.
legal-terms-credits-bonus = New accounts receive { $credits } free credits once their email address is verified; they expire after { $period }.
legal-terms-credits-value = Credits have no cash value: they cannot be exchanged for money, transferred to another account or resold.
legal-terms-credits-refunds = If something went wrong with a purchase, write to { $contact }. Where the law gives you a right to withdraw from a purchase or to a refund, we honour it. A refund removes the credits it paid for, in proportion to the amount refunded.
legal-terms-credits-refunds-by-form = If something went wrong with a purchase, tell us through our { $contact }. Where the law gives you a right to withdraw from a purchase or to a refund, we honour it. A refund removes the credits it paid for, in proportion to the amount refunded.
legal-terms-credits-reversals = If a payment is refunded or disputed after its credits were spent, your balance can fall below zero. While it is negative you cannot start new generations; the next credits you receive settle it first.
legal-terms-use-heading = Acceptable use
legal-terms-use-1 = You may not use banana nano to:
legal-terms-use-illegal = create, upload or share anything illegal where you are or where we operate;
legal-terms-use-minors = create, upload or share sexual content involving minors, or content that sexualises them;
legal-terms-use-intimate = make intimate or sexual images of a real person without their consent;
legal-terms-use-deception = make images of real people meant to deceive, defame or impersonate them;
legal-terms-use-rights = infringe someone else’s copyright, trademark, privacy or other rights;
legal-terms-use-harass = harass or threaten people, or promote violence or hatred against them;
legal-terms-use-systems = attack, overload or probe the service, get around its limits or safety checks, or collect data from it automatically beyond what the API offers;
legal-terms-use-resale = sell, share or resell access to your account or API keys.
legal-terms-use-2 = Prompts and images may be checked automatically. We refuse requests that break these rules (you are told plainly and pay nothing) and may suspend accounts that keep trying.
legal-terms-content-heading = Your content and the images you make
legal-terms-content-inputs = What you upload and write stays yours. You allow us to store it, process it and send it to the model provider you choose, only to provide the service to you.
legal-terms-content-outputs = As between you and us, the images you generate belong to you, to the extent the law allows, and you may use them for any lawful purpose, commercial ones included. We claim no rights in them.
legal-terms-content-similar = AI output may not be protected by copyright everywhere, and a model can produce images similar to those it gives other people. You are responsible for how you use your images and for checking that they do not infringe anyone’s rights.
legal-terms-content-training = We do not use your prompts, uploads or images to train or fine-tune any model.
legal-terms-guests-heading = Using banana nano as a guest
legal-terms-guests-1 = You can try the workbench without an account, with { $credits } trial credits. These terms apply to guests too.
legal-terms-guests-2 = A guest’s uploads and results are deleted after { $period } unless you create an account or sign in, which moves them into your account.
legal-terms-availability-heading = Availability
legal-terms-availability-1 = We work to keep banana nano available and fast, but it can be interrupted, for example for maintenance or when a model provider has an outage. A generation that fails for such a reason costs nothing.
legal-terms-availability-2 = Keep your own copies of images that matter to you: images are stored for a limited time, as our privacy policy explains.
legal-terms-ending-heading = Ending the agreement
legal-terms-ending-1 = You can stop at any time and delete your account in your { $settings }. Deleting the account ends any remaining credits, so use them up first or ask us about a refund where you are entitled to one.
legal-terms-ending-2 = We may end the agreement if you seriously or repeatedly break these terms. If we end it for any other reason, we give you reasonable notice and refund credits you paid for and have not used.
legal-terms-liability-heading = Responsibility and liability
legal-terms-liability-1 = We provide banana nano with reasonable care and skill. Because images are made by models, we cannot promise that every result will match what you had in mind.
legal-terms-liability-2 = Nothing in these terms limits liability that the law does not allow to be limited, such as for death or personal injury caused by negligence, or for fraud, and nothing affects the rights consumer law gives you.
legal-terms-liability-3 = Otherwise, we are not liable for losses that were not foreseeable, and our total liability to you is limited to what you paid us in the twelve months before the claim.
legal-terms-changes-heading = Changes to these terms
legal-terms-changes-1 = Each version of these terms is published with the date it takes effect, and earlier versions stay readable in the { $archive }.
legal-terms-changes-2 = If a change is material, we tell you by a notice in the product and by email, and ask you to accept the new terms the next time you sign in. If you do not accept them, you can stop using banana nano and delete your account.
legal-terms-language-heading = Language
legal-terms-contact-heading = Contact
legal-terms-contact-1 = These terms are offered by { $operator }. Questions about them go to { $contact }.
legal-terms-contact-1-by-form = These terms are offered by { $operator }. Questions about them can be sent to us through our { $contact }.
