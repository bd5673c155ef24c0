//! The `<head>` of a public page: title, description, canonical link, hreflang alternates
//! for every locale, and Open Graph / Twitter cards.

use crate::{i18n::Locale, i18n::use_locale, site::SiteInfo};
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

/// Head tags for an indexable page. `page` is the page's path inside a locale (`/pricing`).
#[component]
pub fn PageMeta(title: String, description: String, page: &'static str) -> impl IntoView {
    let locale = use_locale();
    let base = use_context::<SiteInfo>()
        .map(|s| s.public_url)
        .unwrap_or_default();
    let url = |locale: Locale| format!("{base}{}", locale.path(page));
    let image = format!("{base}/og-image.png");
    let alternates = Locale::ALL
        .into_iter()
        .map(|alt| view! { <Link rel="alternate" hreflang=alt.tag() href=url(alt) /> })
        .collect_view();
    view! {
        <Title text=title.clone() />
        <Meta name="description" content=description.clone() />
        <Link rel="canonical" href=url(locale) />
        {alternates}
        <Link rel="alternate" hreflang="x-default" href=url(Locale::DEFAULT) />
        <Meta property="og:type" content="website" />
        <Meta property="og:site_name" content="banana nano" />
        <Meta property="og:title" content=title.clone() />
        <Meta property="og:description" content=description.clone() />
        <Meta property="og:url" content=url(locale) />
        <Meta property="og:image" content=image.clone() />
        <Meta property="og:image:width" content="1200" />
        <Meta property="og:image:height" content="630" />
        <Meta property="og:locale" content=locale.og_tag() />
        <Meta name="twitter:card" content="summary_large_image" />
        <Meta name="twitter:title" content=title />
        <Meta name="twitter:description" content=description />
        <Meta name="twitter:image" content=image />
    }
}
