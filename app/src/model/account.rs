//! What the header shows of the person who is asking.

use serde::{Deserialize, Serialize};

/// The signed-in person as the header shows them: who, what they can spend, and the form
/// token of their sign-out button. Computed by the server before the page renders (no
/// waiting inside the render) and carried to the browser with the page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeaderAccount {
    pub display_name: String,
    pub email: String,
    /// A signed link to their picture, if they have one.
    pub avatar_url: Option<String>,
    /// Credits they can spend now.
    pub balance: i64,
    pub is_admin: bool,
    /// The session's anti-forgery token, for the sign-out form.
    pub csrf: String,
}
