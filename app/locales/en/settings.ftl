# Account settings: the shared navigation, the profile and the security page.

## Frame
settings-nav = Settings
settings-nav-profile = Profile
settings-nav-security = Security
settings-nav-admin = Admin
settings-sign-out = Sign out
settings-signed-out-heading = Please sign in
settings-signed-out-body = Sign in to see and change your account settings.

## Profile
profile-title = Profile
profile-heading = Profile
profile-details-heading = About you
profile-language = Language
profile-theme = Theme
profile-theme-system = Same as my device
profile-theme-light = Light
profile-theme-dark = Dark
profile-company = Company
profile-region = Country or region
profile-phone = Phone
profile-phone-hint = With the country code, like +44 20 7946 0958.
profile-bio = About me
profile-bio-hint = Up to 500 characters.
profile-submit = Save profile
profile-error-phone = Please enter the phone number with its country code, like +44 20 7946 0958.
profile-error-company = Please keep the company name under 100 characters.
profile-error-region = Please keep the country or region under 100 characters.
profile-error-bio = Please keep “About me” to 500 characters.
profile-error-theme = Please choose one of the themes offered.
auth-notice-profile-saved = Your profile is saved.

## Avatar
avatar-heading = Profile picture
avatar-alt = Your profile picture
avatar-choose = Choose a picture
avatar-hint = PNG, JPEG or WebP. Square pictures look best.
avatar-upload = Upload picture
avatar-remove = Remove picture
avatar-error-too-large = That file is too large. Please use a picture under { $max_mb } MB.
avatar-error-pixels = That picture has too many pixels. Please use a smaller one.
avatar-error-format = Please use a PNG, JPEG or WebP picture.
avatar-error-corrupt = We could not read that picture. Please try another file.
auth-notice-avatar-saved = Your new picture is saved.
auth-notice-avatar-removed = Your picture is removed.

## Security
security-title = Security
security-heading = Security
security-email-heading = Email address
security-email-current = You sign in with
security-email-verified = Confirmed
security-email-unverified = Not confirmed
security-email-verify-link = Confirm it
security-new-email = New email address
security-new-email-hint = We will send a link to the new address. Nothing changes until you open it.
security-email-submit = Change email
security-password-heading = Password
security-password-lead = Changing it keeps you signed in here.
security-password-submit = Change password
security-password-add-heading = Add a password
security-password-add-lead = You sign in with Google or GitHub. Add a password to sign in with your email too.
security-password-add-submit = Add password
security-two-factor-heading = Two-step verification
security-two-factor-on = On
security-two-factor-off = Off
security-two-factor-body = Admins confirm each sign-in with a code from an authenticator app.
security-two-factor-link = Manage two-step verification
security-devices-heading = Where you are signed in
security-devices-lead = Locations are approximate, from the network. Sign out anything you do not recognise, then change your password.
security-devices-table = Signed-in devices
security-device-browser = Browser
security-device-os = Operating system
security-device-location = Approximate location
security-device-signed-in = Signed in
security-device-last-active = Last active
security-device-status = Status and actions
security-device-name = { $browser } on { $os }
security-location-unknown = Unknown
security-this-device = This device
security-revoke = Sign out
security-sign-out-everywhere = Sign out everywhere
security-sign-out-everywhere-hint = Ends every session on every device, this one included.
security-providers-heading = Ways to sign in
security-providers-lead = Link Google or GitHub to sign in with one click. Keep at least one way to sign in.
security-method-password = Email and password
security-method-password-on = Set
security-method-password-off = No password yet
security-unlink = Unlink
security-link-provider = Link { $provider }
