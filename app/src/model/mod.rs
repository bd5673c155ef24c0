//! Wire types shared by the server and the browser: what pages receive from server
//! functions. Plain data — no database types, no secrets.

use serde::{Deserialize, Serialize};

mod account;
mod billing;
mod dashboard;
pub mod legal;
mod privacy;
mod support;
mod workbench;

pub use account::*;
pub use billing::*;
pub use dashboard::*;
pub use privacy::*;
pub use support::*;
pub use workbench::*;

/// The signed-in person, as pages show them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Viewer {
    pub id: String,
    pub email: String,
    pub email_verified: bool,
    pub display_name: String,
    /// A signed, expiring URL of the avatar picture.
    pub avatar_url: Option<String>,
    pub locale: String,
    /// `light`, `dark`, or empty for the system's choice.
    pub theme: String,
    pub company_name: String,
    pub region: String,
    pub phone: String,
    pub bio: String,
    /// `user`, `support` or `admin`.
    pub role: String,
    pub has_password: bool,
    pub two_factor_enabled: bool,
}

/// A message for the next page after a form was sent (post/redirect/get), or the errors of
/// a form shown again. Keys are Fluent message ids; `args` fill their placeables.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Flash {
    /// Which form the error belongs to (e.g. `sign-in`, `password`).
    pub form: String,
    pub error: Option<String>,
    pub args: Vec<(String, String)>,
    pub notice: Option<String>,
    /// What the person typed (never passwords), to fill the form again.
    pub fields: Vec<(String, String)>,
}

/// A flash handed to one rendering only, in the request's extensions instead of the
/// session: for what must be shown once and never stored (recovery codes).
#[derive(Clone, Debug, Default)]
pub struct InlineFlash(pub Flash);

impl Flash {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn error_for(&self, form: &str) -> Option<&str> {
        (self.form == form)
            .then_some(self.error.as_deref())
            .flatten()
    }
}

/// What every account page needs: who is signed in, the form token, any flash message,
/// and which sign-in options this instance offers.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PageContext {
    pub viewer: Option<Viewer>,
    /// Goes into every form as the hidden field `csrf_token`.
    pub csrf: String,
    pub flash: Option<Flash>,
    /// Configured OAuth providers: `google`, `github`.
    pub providers: Vec<String>,
    /// Set when Turnstile protects sign-up and sign-in.
    pub turnstile_site_key: Option<String>,
    /// Dev mode: the outbox at /dev/mail is available.
    pub dev_mail: bool,
}

/// One signed-in browser in the device list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeviceView {
    /// Goes into the revoke form as `handle`.
    pub handle: String,
    pub browser: String,
    pub os: String,
    pub location: String,
    pub signed_in_at: i64,
    pub last_seen_at: i64,
    pub current: bool,
}

/// A linked sign-in provider.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IdentityView {
    pub provider: String,
    pub email: Option<String>,
}

/// The security settings page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SecurityOverview {
    pub devices: Vec<DeviceView>,
    pub identities: Vec<IdentityView>,
}

/// An entry of the audit log, for admins.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditView {
    pub action: String,
    pub actor: Option<String>,
    pub subject: Option<String>,
    pub created_at: i64,
}

/// The admin overview.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminOverview {
    /// (role, number of accounts)
    pub accounts_by_role: Vec<(String, i64)>,
    pub recent_audit: Vec<AuditView>,
}

/// Two-factor enrolment: the secret as an inline SVG QR code and as text.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TwoFactorSetup {
    pub enabled: bool,
    pub secret: String,
    pub qr_svg: String,
    pub otpauth_uri: String,
    pub recovery_codes_left: i64,
}
