//! The gate in front of account and admin pages: the dashboard and settings need a
//! signed-in person; admin pages an admin who has enrolled two-factor and given a code in
//! this session; the sign-in and sign-up pages send signed-in people on to their dashboard.

use crate::http::{
    HttpError,
    extract::{AFTER_SIGN_IN, admin_access, admin_refusal},
    see_other,
};
use app::i18n::Locale;
use axum::{
    extract::{Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use domain::{
    AppState,
    accounts::sessions::{self, flow},
};
use tower_sessions::Session;

/// Which gate a page is behind.
enum Guard {
    /// The second step of a sign-in: only while a code is awaited.
    TwoFactorStep,
    /// Finishing a provider sign-up: only while one is pending.
    CompleteSignUp,
    /// Sign-in and sign-up: signed-in people go on to their dashboard.
    Entry,
    /// The dashboard, settings and admin pages: a signed-in person (admin pages: an admin).
    Account { admin: bool },
}

fn guard_of(page: &str) -> Option<Guard> {
    let admin = page == "/admin" || page.starts_with("/admin/");
    match page {
        "/sign-in/two-factor" => Some(Guard::TwoFactorStep),
        "/sign-up/complete" => Some(Guard::CompleteSignUp),
        "/sign-in" | "/sign-up" => Some(Guard::Entry),
        _ if admin || page == "/dashboard" || page.starts_with("/settings") => {
            Some(Guard::Account { admin })
        }
        _ => None,
    }
}

pub async fn gate(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let (locale, page) = Locale::split_path(&path);
    let Some(guard) = guard_of(page) else {
        return next.run(request).await;
    };
    let Some(session) = request.extensions().get::<Session>().cloned() else {
        return next.run(request).await;
    };
    let user = match sessions::signed_in_user(&state, &session).await {
        Ok(user) => user,
        Err(e) => {
            tracing::error!(error = %e, "could not read the session");
            return HttpError::internal("session unavailable").into_response();
        }
    };
    let to = |p: &str| see_other(&locale.path(p));
    match guard {
        Guard::TwoFactorStep => {
            let pending = session
                .get::<String>(flow::PENDING_TWO_FACTOR)
                .await
                .ok()
                .flatten();
            if pending.is_some() {
                next.run(request).await
            } else {
                to("/sign-in")
            }
        }
        Guard::CompleteSignUp => {
            let pending = session.get_value(flow::OAUTH_SIGN_UP).await.ok().flatten();
            if pending.is_some() {
                next.run(request).await
            } else {
                to("/sign-up")
            }
        }
        Guard::Entry => match user {
            Some(_) if request.method() == axum::http::Method::GET => to("/dashboard"),
            _ => next.run(request).await,
        },
        Guard::Account { admin } => {
            let Some(user) = user else {
                // With the query: an emailed link (an export's download) still works after
                // sign-in.
                let back = request
                    .uri()
                    .path_and_query()
                    .map(|p| p.as_str().to_owned())
                    .unwrap_or_else(|| path.clone());
                let _ = session.insert(AFTER_SIGN_IN, &back).await;
                return to("/sign-in");
            };
            if admin {
                let enrolling = page == "/admin/two-factor";
                let access = admin_access(&user, &session, enrolling).await;
                if let Some(refused) = admin_refusal(access, &user, &session, &path).await {
                    return refused;
                }
            }
            next.run(request).await
        }
    }
}
