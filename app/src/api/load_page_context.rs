//! What every account page needs: who is signed in, the form token and the flash message.

use crate::model::PageContext;
use leptos::prelude::*;

/// Who is signed in, the form token (created on first use), the pending flash message
/// (taken, so it shows once) and the sign-in options of this instance.
#[server(endpoint = "page-context")]
pub async fn load_page_context() -> Result<PageContext, ServerFnError> {
    use crate::api::ssr::{internal, session, state, viewer};
    use crate::model::Flash;
    use domain::accounts::{oauth, sessions};
    let state = state()?;
    let session = session().await?;
    let user = sessions::signed_in_user(&state, &session)
        .await
        .map_err(internal)?;
    let csrf = sessions::csrf_token(&session).await.map_err(internal)?;
    // A flash for this rendering only (never stored) wins over the session's.
    let inline = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<crate::model::InlineFlash>().cloned());
    let flash = match inline {
        Some(crate::model::InlineFlash(flash)) => Some(flash),
        None => session
            .remove::<Flash>(sessions::flow::FLASH)
            .await
            .map_err(internal)?,
    };
    Ok(PageContext {
        viewer: user.as_ref().map(|u| viewer(&state, u)),
        csrf,
        flash,
        providers: oauth::enabled(&state)
            .into_iter()
            .map(|p| p.id().to_string())
            .collect(),
        turnstile_site_key: state.config.turnstile.as_ref().map(|t| t.site_key.clone()),
        dev_mail: state.config.is_dev(),
    })
}
