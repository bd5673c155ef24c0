//! The legal pages' data: the current version of a document (built from the privacy
//! registry and this site's configuration), the list of published versions, and a published
//! version exactly as it read. Open to everyone.

use crate::model::legal::{ArchivedLegalDoc, LegalArchive, LegalDoc};
use leptos::prelude::*;

/// The current version of document `doc` in `locale`; `None` for a document that does not
/// exist.
#[server(endpoint = "legal-doc")]
pub async fn load_legal_doc(
    doc: String,
    locale: String,
) -> Result<Option<LegalDoc>, ServerFnError> {
    use super::ssr::state;
    use crate::i18n::Locale;
    use crate::model::legal::{LegalDocKind, LegalFacts, build};
    let state = state()?;
    let Some(kind) = LegalDocKind::parse(&doc) else {
        return Ok(None);
    };
    let locale = Locale::from_tag(&locale).unwrap_or_default();
    Ok(Some(build(
        kind,
        locale,
        &LegalFacts::from_config(&state.config),
    )))
}

/// Every published version of document `doc`, newest first; `None` for a document that
/// does not exist.
#[server(endpoint = "legal-versions")]
pub async fn load_legal_versions(doc: String) -> Result<Option<LegalArchive>, ServerFnError> {
    use super::ssr::{internal, state};
    use crate::model::legal::{LegalDocKind, LegalVersionView};
    use crate::pages::settings::utc_parts;
    use domain::privacy::policy;
    let state = state()?;
    let Some(kind) = LegalDocKind::parse(&doc) else {
        return Ok(None);
    };
    let current = policy::current(kind.into()).version;
    let versions = policy::versions(&state.db, kind.into())
        .await
        .map_err(internal)?;
    let date = |ms: i64| {
        let (y, m, d, _, _) = utc_parts(ms);
        format!("{y:04}-{m:02}-{d:02}")
    };
    Ok(Some(LegalArchive {
        doc: kind.id().to_string(),
        current: current.to_string(),
        versions: versions
            .into_iter()
            .map(|v| LegalVersionView {
                current: v.version == current,
                effective: date(v.effective_at),
                version: v.version,
                material: v.material,
                published_at: v.published_at,
            })
            .collect(),
    }))
}

/// Version `version` of document `doc` as it was published, in `locale` (or in English
/// when it was not published in that language); `None` when there is no such version.
#[server(endpoint = "legal-snapshot")]
pub async fn load_legal_snapshot(
    doc: String,
    version: String,
    locale: String,
) -> Result<Option<ArchivedLegalDoc>, ServerFnError> {
    use super::ssr::{internal, state};
    use crate::i18n::Locale;
    use crate::model::legal::LegalDocKind;
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
