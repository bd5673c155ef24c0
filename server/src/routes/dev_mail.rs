//! `/dev/mail`: the outbox of a dev instance — every email the instance "sent", readable
//! in the browser. Exists only in dev mode; in production these paths are 404.

use crate::http::{HttpError, HttpState};
use app::i18n::Locale;
use axum::{
    Router,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, header},
    response::{Html, IntoResponse, Response},
    routing::get,
};
use domain::{
    AppState,
    email::{outbox_get, outbox_list},
};

use domain::escape_html as escape;

fn locale_of(headers: &HeaderMap) -> Locale {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Locale::negotiate)
        .unwrap_or_default()
}

fn page(locale: Locale, title: &str, body: &str) -> Response {
    Html(format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\"><title>{title}</title>\
         <link rel=\"stylesheet\" href=\"/pkg/{css}.css\"></head>\
         <body><main class=\"container dev-mail\"><h1>{title}</h1>\
         <p class=\"dev-mail-note\">{note}</p>{body}</main></body></html>",
        lang = locale.tag(),
        title = escape(title),
        css = super::pages::OUTPUT_NAME,
        note = escape(&locale.t("dev-mail-note")),
    ))
    .into_response()
}

pub fn router(state: HttpState) -> Router {
    Router::new()
        .route("/dev/mail", get(list))
        .route("/dev/mail/{id}", get(show))
        .route("/dev/mail/{id}/html", get(html))
        .with_state(state)
}

fn not_found() -> Response {
    HttpError::not_found().into_response()
}

async fn list(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if !state.config.is_dev() {
        return not_found();
    }
    let locale = locale_of(&headers);
    let messages = match outbox_list(&state.db, 100).await {
        Ok(messages) => messages,
        Err(e) => return HttpError::internal(format_args!("outbox: {e}")).into_response(),
    };
    let mut body = String::new();
    if messages.is_empty() {
        body.push_str(&format!("<p>{}</p>", escape(&locale.t("dev-mail-empty"))));
    } else {
        body.push_str(&format!(
            "<table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            escape(&locale.t("dev-mail-sent")),
            escape(&locale.t("dev-mail-to")),
            escape(&locale.t("dev-mail-subject")),
        ));
        for m in &messages {
            body.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td><a href=\"/dev/mail/{}\">{}</a></td></tr>",
                m.created_at,
                escape(&m.to_address),
                escape(&m.id),
                escape(&m.subject)
            ));
        }
        body.push_str("</tbody></table>");
    }
    page(locale, &locale.t("dev-mail-title"), &body)
}

async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if !state.config.is_dev() {
        return not_found();
    }
    let locale = locale_of(&headers);
    let message = match outbox_get(&state.db, &id).await {
        Ok(Some(message)) => message,
        Ok(None) => return not_found(),
        Err(e) => return HttpError::internal(format_args!("outbox: {e}")).into_response(),
    };
    // Links in the plain text become clickable, so a developer can follow them.
    let text = escape(&message.text)
        .split_inclusive(char::is_whitespace)
        .map(|word| {
            let trimmed = word.trim_end();
            if trimmed.starts_with("http://") || trimmed.starts_with("https://") {
                format!(
                    "<a href=\"{trimmed}\">{trimmed}</a>{}",
                    &word[trimmed.len()..]
                )
            } else {
                word.to_string()
            }
        })
        .collect::<String>();
    let body = format!(
        "<dl><dt>{to_label}</dt><dd class=\"dev-mail-to\">{to}</dd><dt>{subject_label}</dt>\
         <dd class=\"dev-mail-subject\">{subject}</dd></dl>\
         <h2>{text_label}</h2><pre class=\"dev-mail-text\">{text}</pre>\
         <p><a href=\"/dev/mail/{id}/html\">{html_label}</a> · <a href=\"/dev/mail\">{back}</a></p>",
        to_label = escape(&locale.t("dev-mail-to")),
        to = escape(&message.to_address),
        subject_label = escape(&locale.t("dev-mail-subject")),
        subject = escape(&message.subject),
        text_label = escape(&locale.t("dev-mail-text")),
        html_label = escape(&locale.t("dev-mail-html")),
        back = escape(&locale.t("dev-mail-back")),
        id = escape(&message.id),
    );
    page(locale, &message.subject, &body)
}

/// The HTML part as the recipient's mail program would show it: its own inline styles,
/// no scripts, sandboxed.
async fn html(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    if !state.config.is_dev() {
        return not_found();
    }
    match outbox_get(&state.db, &id).await {
        Ok(Some(message)) => {
            let mut response = Html(message.html).into_response();
            response.headers_mut().insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(
                    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; \
                     frame-ancestors 'none'; sandbox allow-popups allow-top-navigation-by-user-activation",
                ),
            );
            response
        }
        Ok(None) => not_found(),
        Err(e) => HttpError::internal(format_args!("outbox: {e}")).into_response(),
    }
}
