//! `/sitemap.xml` and `/robots.txt`: what crawlers may read, and every public page in every
//! locale.

use app::{PUBLIC_PAGES, i18n::Locale};
use axum::{
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use domain::AppState;

/// Every public page in every locale, each with its alternates.
pub async fn sitemap(State(state): State<AppState>) -> Response {
    let base = &state.config.public_url;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
         xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for page in PUBLIC_PAGES {
        for locale in Locale::ALL {
            xml.push_str(&format!(
                "  <url>\n    <loc>{base}{}</loc>\n",
                locale.path(page)
            ));
            for alternate in Locale::ALL {
                xml.push_str(&format!(
                    "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{base}{}\"/>\n",
                    alternate.tag(),
                    alternate.path(page)
                ));
            }
            xml.push_str(&format!(
                "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{base}{}\"/>\n  </url>\n",
                Locale::DEFAULT.path(page)
            ));
        }
    }
    xml.push_str("</urlset>\n");
    (
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        xml,
    )
        .into_response()
}

pub async fn robots(State(state): State<AppState>) -> Response {
    let body = format!(
        "User-agent: *\nAllow: /\nDisallow: /api/\nDisallow: /settings/\nDisallow: /admin/\nDisallow: /lang/\n\n\
         Sitemap: {}/sitemap.xml\n",
        state.config.public_url
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}
