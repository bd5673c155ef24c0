//! Marketing email's unsubscribe link: the confirmation page, and the one-click
//! unsubscribe that mail clients POST without a session (RFC 8058).

use crate::http::HttpError;
use app::i18n::Locale;
use axum::{
    extract::{Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{Html, IntoResponse, Response},
};
use domain::{
    AppState,
    privacy::marketing::{self, UNSUBSCRIBE_PATH, UnsubscribeError},
};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

/// The language of an unsubscribe page: the one in its path, else the person's own, else
/// what the browser asks for.
async fn page_locale(state: &AppState, path: &str, token: &str, headers: &HeaderMap) -> Locale {
    let (from_path, _) = Locale::split_path(path);
    if from_path != Locale::DEFAULT {
        return from_path;
    }
    if let Some(locale) = marketing::locale_of_token(state, token)
        .await
        .and_then(|tag| Locale::from_tag(&tag))
    {
        return locale;
    }
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Locale::negotiate)
        .unwrap_or_default()
}

/// `GET /unsubscribe?token=`: asks before acting. Link scanners and previews fetch links
/// in email; a GET that unsubscribed would unsubscribe people who never clicked.
pub async fn unsubscribe_page(
    State(state): State<AppState>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    Query(query): Query<TokenQuery>,
) -> Response {
    let locale = page_locale(&state, uri.path(), &query.token, &headers).await;
    if marketing::verify_token(&state, &query.token).is_none() {
        return invalid_link(locale);
    }
    let action = format!(
        "{UNSUBSCRIBE_PATH}?token={}",
        form_urlencoded::byte_serialize(query.token.as_bytes()).collect::<String>()
    );
    let body = format!(
        "<p>{body}</p><form method=\"post\" action=\"{action}\">\
         <input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">\
         <button class=\"button primary\" type=\"submit\">{button}</button></form>",
        body = escape(&locale.t("unsubscribe-body")),
        action = escape(&action),
        button = escape(&locale.t("unsubscribe-button")),
    );
    page(locale, StatusCode::OK, "unsubscribe-title", &body)
}

/// `POST /unsubscribe?token=`: the one-click unsubscribe of RFC 8058 (body
/// `List-Unsubscribe=One-Click`, sent by mail clients without cookies or a form token) and
/// the confirmation page's button. The token is the proof; answering is idempotent.
pub async fn unsubscribe(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<TokenQuery>,
) -> Response {
    let locale = page_locale(&state, UNSUBSCRIBE_PATH, &query.token, &headers).await;
    match marketing::unsubscribe(&state, &query.token, domain::now_ms()).await {
        Ok(done) => {
            if done.changed {
                tracing::info!(user = %done.user_id, "unsubscribed from marketing email");
            }
            let body = format!(
                "<p>{body}</p><a class=\"button\" href=\"{href}\">{label}</a>",
                body = escape(&locale.t("unsubscribe-done-body")),
                href = escape(&locale.path(marketing::PREFERENCES_PATH)),
                label = escape(&locale.t("unsubscribe-settings")),
            );
            page(locale, StatusCode::OK, "unsubscribe-done-title", &body)
        }
        Err(UnsubscribeError::InvalidToken) => invalid_link(locale),
        Err(UnsubscribeError::Db(e)) => {
            HttpError::internal(format_args!("unsubscribe failed: {e}")).into_response()
        }
    }
}

fn invalid_link(locale: Locale) -> Response {
    let body = format!(
        "<p>{}</p><a class=\"button\" href=\"{}\">{}</a>",
        escape(&locale.t("unsubscribe-invalid-body")),
        escape(&locale.path(marketing::PREFERENCES_PATH)),
        escape(&locale.t("unsubscribe-settings")),
    );
    page(
        locale,
        StatusCode::NOT_FOUND,
        "unsubscribe-invalid-title",
        &body,
    )
}

/// A small self-contained page in the site's style; `body` is already HTML.
fn page(locale: Locale, status: StatusCode, title_key: &str, body: &str) -> Response {
    let title = escape(&locale.t(title_key));
    let html = format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\"><title>{title}</title>\
         <link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\
         <link rel=\"stylesheet\" href=\"/pkg/{css}.css\"></head><body><main id=\"main\">\
         <section class=\"error-page\" aria-labelledby=\"page-title\">\
         <h1 id=\"page-title\">{title}</h1>{body}</section></main></body></html>",
        lang = locale.tag(),
        css = crate::routes::pages::OUTPUT_NAME,
    );
    let mut response = (status, Html(html)).into_response();
    // The link's token is in the URL: keep it out of caches and other sites' logs.
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    response.headers_mut().insert(
        header::REFERRER_POLICY,
        header::HeaderValue::from_static("no-referrer"),
    );
    response
}

use domain::escape_html as escape;
