//! The HTTP toolkit every route uses: one error type, the extractors for who is asking,
//! responses, cookies and the per-locale route helper. It knows no feature of the product.

pub mod cookies;
pub mod error;
pub mod error_page;
pub mod extract;
pub mod form;
pub mod locale;
pub mod response;

pub use error::HttpError;
pub use extract::{AdminUser, CurrentUser, EnrollingAdmin, MaybeUser};
pub use form::FormContext;
pub use locale::LocalizedRoutes;
pub use response::{local_path, see_other};

use axum::{body::Body, extract::Request, response::Response};
use domain::AppState;
use std::{future::Future, pin::Pin, sync::Arc};

/// Renders a page of the app for a request (the Leptos handler in `Async` mode).
pub type RenderPage =
    Arc<dyn Fn(Request<Body>) -> Pin<Box<dyn Future<Output = Response> + Send>> + Send + Sync>;

/// What the routes with a session share: the app's state, and the page renderer that
/// shows a refused form again.
#[derive(Clone)]
pub struct HttpState {
    pub app: AppState,
    pub render: RenderPage,
}

impl axum::extract::FromRef<HttpState> for AppState {
    fn from_ref(state: &HttpState) -> AppState {
        state.app.clone()
    }
}
