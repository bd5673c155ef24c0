//! A time on a page: `<time>` with its machine-readable `datetime`.

use crate::format::{format_utc, utc_parts};
use leptos::prelude::*;

/// A `<time>` showing [`format_utc`].
#[component]
pub fn UtcTime(ms: i64) -> impl IntoView {
    let (y, mo, d, h, mi) = utc_parts(ms);
    view! { <time datetime=format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}Z")>{format_utc(ms)}</time> }
    .into_any()
}
