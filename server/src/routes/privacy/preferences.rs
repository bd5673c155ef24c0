//! Processing preferences and marketing email over HTTP: the signed-in person's restriction,
//! objection and newsletter choices (forms on `/settings/privacy`), the one-click unsubscribe
//! that mail clients POST without a session, and its confirmation page. Also the hourly
//! retention sweeper, which runs beside the server.

use crate::auth::{AuthState, FormContext, Refusal};
use app::i18n::Locale;
use axum::{
    Form, Router,
    extract::{Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{Html, IntoResponse, Response},
    routing::{get, post},
};
use domain::{
    AppState,
    privacy::{
        marketing::{self, UNSUBSCRIBE_PATH, UnsubscribeError},
        preferences, sweep,
    },
};
use serde::Deserialize;
use std::time::Duration;

/// The preference forms in every locale, and the unsubscribe page and its one-click target.
pub fn routes(state: AuthState) -> Router {
    let mut router = Router::new();
    for locale in Locale::ALL {
        let p = |page: &str| locale.path(page);
        router = router
            .route(&p("/settings/privacy/processing"), post(processing))
            .route(&p("/settings/privacy/marketing"), post(marketing_choice));
        if locale != Locale::DEFAULT {
            router = router.route(&p(UNSUBSCRIBE_PATH), get(unsubscribe_page));
        }
    }
    router
        // One path for both: `List-Unsubscribe` names it, mail clients POST to it.
        .route(UNSUBSCRIBE_PATH, get(unsubscribe_page).post(unsubscribe))
        .with_state(state)
}

/// Checkboxes: present ("on") when ticked.
#[derive(Deserialize)]
pub struct ProcessingForm {
    restrict: Option<String>,
    object: Option<String>,
}

fn ticked(value: &Option<String>) -> bool {
    value.as_deref().is_some_and(|v| !v.is_empty())
}

/// `POST /settings/privacy/processing`: restriction (Art. 18) and objection (Art. 21), as
/// the two boxes say.
async fn processing(ctx: FormContext, Form(form): Form<ProcessingForm>) -> Response {
    let user = match ctx.require_user().await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let now = domain::now_ms();
    let (restrict, object) = (ticked(&form.restrict), ticked(&form.object));
    let saved = async {
        preferences::set_restricted(&ctx.state, &user.id, restrict, now).await?;
        preferences::set_objected(&ctx.state, &user.id, object, now).await
    }
    .await;
    match saved {
        Ok(choices) => {
            let notice = if choices.limits_processing() {
                "privacy-notice-processing-limited"
            } else {
                "privacy-notice-processing-full"
            };
            ctx.done(&ctx.path("/settings/privacy"), notice).await
        }
        Err(e) => failed(&ctx, "privacy-processing", e).await,
    }
}

#[derive(Deserialize)]
pub struct MarketingForm {
    #[serde(default)]
    subscribe: String,
}

/// `POST /settings/privacy/marketing`: `subscribe=1` opts in to news and offers, `0` out.
async fn marketing_choice(ctx: FormContext, Form(form): Form<MarketingForm>) -> Response {
    let user = match ctx.require_user().await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let subscribe = match form.subscribe.as_str() {
        "1" => true,
        "0" => false,
        _ => {
            let refusal = Refusal::new("privacy-error-choice", StatusCode::UNPROCESSABLE_ENTITY);
            return ctx
                .refuse_at(
                    &ctx.path("/settings/privacy"),
                    "privacy-marketing",
                    refusal,
                    &[],
                )
                .await;
        }
    };
    match preferences::set_marketing(
        &ctx.state,
        &user.id,
        subscribe,
        "settings",
        domain::now_ms(),
    )
    .await
    {
        Ok(_) => {
            let notice = if subscribe {
                "privacy-notice-marketing-on"
            } else {
                "privacy-notice-marketing-off"
            };
            ctx.done(&ctx.path("/settings/privacy"), notice).await
        }
        Err(e) => failed(&ctx, "privacy-marketing", e).await,
    }
}

/// The privacy page again with a general error; the cause goes to the log only.
async fn failed(ctx: &FormContext, form: &str, error: impl std::fmt::Display) -> Response {
    tracing::error!(error = %error, "saving privacy preferences failed");
    let refusal = Refusal::new("error-internal", StatusCode::INTERNAL_SERVER_ERROR);
    ctx.refuse_at(&ctx.path("/settings/privacy"), form, refusal, &[])
        .await
}

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
async fn unsubscribe_page(
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
async fn unsubscribe(
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
            tracing::error!(error = %e, "unsubscribe failed");
            crate::AppError::Internal(anyhow::anyhow!("unsubscribe failed")).into_response()
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
        css = crate::routes::OUTPUT_NAME,
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

/// Applies the retention rules every hour, beside the server. Several instances may run it
/// at once: the sweeper counts only what it changed itself.
pub fn spawn_sweeper(state: AppState) {
    tokio::spawn(async move {
        // A minute after start, so starting (and the tests that start many servers) stays
        // quick; then every hour.
        let first = tokio::time::Instant::now() + Duration::from_secs(60);
        let mut every = tokio::time::interval_at(first, Duration::from_secs(3600));
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            match sweep::run(&state, domain::now_ms(), false).await {
                Ok(report) if report.total() > 0 => {
                    let counts: Vec<String> = report
                        .rules
                        .iter()
                        .filter(|(_, n)| *n > 0)
                        .map(|(rule, n)| format!("{rule}={n}"))
                        .collect();
                    tracing::info!(affected = %counts.join(" "), "retention sweep");
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "retention sweep incomplete"),
            }
        }
    });
}
