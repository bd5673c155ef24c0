//! A published version of a legal document exactly as it read.

use crate::model::legal::ArchivedLegalDoc;
use leptos::prelude::*;

/// Version `version` of document `doc` as it was published, in `locale` (or in English
/// when it was not published in that language); `None` when there is no such version.
#[server(endpoint = "legal-snapshot")]
pub async fn load_legal_snapshot(
    doc: String,
    version: String,
    locale: String,
) -> Result<Option<ArchivedLegalDoc>, ServerFnError> {
    use crate::api::ssr::{internal, state};
    use crate::i18n::Locale;
    use crate::model::legal::{LegalDoc, LegalDocKind};
    use domain::privacy::policy;
    /// Versions are dates with at most a short suffix; anything longer is not one.
    const MAX_VERSION_LEN: usize = 40;
    let state = state()?;
    let Some(kind) = LegalDocKind::parse(&doc) else {
        return Ok(None);
    };
    if version.is_empty() || version.len() > MAX_VERSION_LEN {
        return Ok(None);
    }
    let locale = Locale::from_tag(&locale).unwrap_or_default();
    let Some(json) = policy::snapshot(&state.db, kind.into(), &version, locale.tag())
        .await
        .map_err(internal)?
    else {
        return Ok(None);
    };
    let doc: LegalDoc = serde_json::from_str(&json).map_err(internal)?;
    Ok(Some(ArchivedLegalDoc {
        doc,
        current_version: policy::current(kind.into()).version.to_string(),
    }))
}
