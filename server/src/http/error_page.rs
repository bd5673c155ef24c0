//! The error page: a localized, self-contained document with the right status and a
//! reference to quote (or a short JSON body for API clients).

use app::i18n::Locale;
use axum::{
    http::{HeaderMap, StatusCode, header},
    response::Html,
};

/// Marks a bare error response for the middleware to turn into a page.
#[derive(Clone, Copy, Debug)]
pub struct RenderErrorPage;

/// A complete, self-contained error document in `locale`. It needs no app state, so it
/// works when everything else has failed.
pub fn error_document(
    locale: Locale,
    status: StatusCode,
    request_id: Option<&str>,
    stylesheet: &str,
) -> Html<String> {
    let key = match status {
        StatusCode::NOT_FOUND => "not-found",
        StatusCode::FORBIDDEN => "forbidden",
        _ => "server-error",
    };
    let title = escape(&locale.t(&format!("{key}-title")));
    let body = escape(&locale.t(&format!("{key}-body")));
    let home = escape(&locale.t("error-home"));
    let reference = request_id
        .map(|id| {
            format!(
                "<p class=\"muted small\">{}</p>",
                escape(&locale.t_args("server-error-ref", &[("id", id.to_string().into())]))
            )
        })
        .unwrap_or_default();
    Html(format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\"><title>{title}</title>\
         <link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\
         <link rel=\"stylesheet\" href=\"{stylesheet}\"></head><body><main id=\"main\">\
         <section class=\"error-page\" aria-labelledby=\"error-title\"><p class=\"error-code\">{code}</p>\
         <h1 id=\"error-title\">{title}</h1><p>{body}</p>{reference}\
         <a class=\"button primary\" href=\"{href}\">{home}</a></section></main></body></html>",
        lang = locale.tag(),
        code = status.as_u16(),
        href = locale.path("/"),
    ))
}

/// Whether the client wants a page rather than data.
pub fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|accept| {
            accept.contains("text/html") || accept.contains("*/*") && !accept.contains("json")
        })
}

use domain::escape_html as escape;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_localized_and_escaped() {
        let Html(en) = error_document(
            Locale::En,
            StatusCode::INTERNAL_SERVER_ERROR,
            Some("abc<1>"),
            "/pkg/x.css",
        );
        assert!(en.contains("<html lang=\"en\">"));
        assert!(en.contains("Something went wrong on our side"));
        assert!(en.contains("Reference: abc&lt;1&gt;"));
        let Html(zh) = error_document(Locale::ZhCn, StatusCode::NOT_FOUND, None, "/pkg/x.css");
        assert!(zh.contains("<html lang=\"zh-CN\">"));
        assert!(zh.contains("找不到这个页面"));
        assert!(zh.contains("href=\"/zh-CN/\""));
    }

    #[test]
    fn html_is_wanted_by_browsers_not_api_clients() {
        let mut headers = HeaderMap::new();
        assert!(wants_html(&headers));
        headers.insert(
            header::ACCEPT,
            "text/html,application/xhtml+xml,*/*;q=0.8".parse().unwrap(),
        );
        assert!(wants_html(&headers));
        headers.insert(header::ACCEPT, "application/json".parse().unwrap());
        assert!(!wants_html(&headers));
    }
}
