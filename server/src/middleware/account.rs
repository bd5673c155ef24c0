//! Who the header shows. For a page view (a request that accepts HTML) inside a session,
//! reads the signed-in person, their balance and the form token once, before the page
//! renders, and hands them to the app as a request extension: the header then renders
//! without waiting on anything, and a visitor's page costs no database read at all.

use axum::{
    extract::{Request, State},
    http::header,
    middleware::Next,
    response::Response,
};
use domain::AppState;
use tower_sessions::Session;

/// Whether the request may show a page: not a server function, JSON endpoint or file
/// (their paths say so), and from a client that accepts HTML (browsers' navigations and
/// form posts; clients that send no preference or `*/*`).
fn shows_page(request: &Request) -> bool {
    let path = request.uri().path();
    if ["/api/", "/files/", "/callbacks/", "/webhooks/"]
        .iter()
        .any(|prefix| path.starts_with(prefix))
    {
        return false;
    }
    match request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
    {
        None => true,
        Some(accept) => accept.contains("text/html") || accept.contains("*/*"),
    }
}

/// Whether the request carries a session cookie: without one nobody is signed in, and the
/// session store is not asked.
fn has_session_cookie(request: &Request) -> bool {
    app::request_cookie(request.headers(), domain::privacy::SESSION_COOKIE).is_some()
}

pub async fn header_account(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    if shows_page(&request)
        && has_session_cookie(&request)
        && let Some(session) = request.extensions().get::<Session>().cloned()
    {
        match app::api::ssr::header_account(&state, &session).await {
            Ok(Some(account)) => {
                request.extensions_mut().insert(account);
            }
            Ok(None) => {}
            // The page still renders, with the visitor's header.
            Err(e) => tracing::error!(error = %e, "could not read the header's account"),
        }
    }
    next.run(request).await
}
