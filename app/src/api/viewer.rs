use crate::model::Viewer;
use leptos::prelude::*;

/// Who is signed in, for the header. Unlike [`super::load_page_context`] it never writes to the
/// session, so a visitor's first page view does not start one (or set a cookie).
#[server(endpoint = "current-viewer")]
pub async fn current_viewer() -> Result<Option<Viewer>, ServerFnError> {
    use super::ssr::{internal, session, state, viewer};
    use domain::accounts::sessions;
    let state = state()?;
    let session = session().await?;
    let user = sessions::signed_in_user(&state, &session)
        .await
        .map_err(internal)?;
    Ok(user.as_ref().map(|user| viewer(&state, user)))
}
