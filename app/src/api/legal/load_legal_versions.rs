//! The published versions of a legal document, newest first.

use crate::model::legal::LegalArchive;
use leptos::prelude::*;

/// Every published version of document `doc`, newest first; `None` for a document that
/// does not exist.
#[server(endpoint = "legal-versions")]
pub async fn load_legal_versions(doc: String) -> Result<Option<LegalArchive>, ServerFnError> {
    use crate::api::ssr::{internal, state};
    use crate::format::utc_parts;
    use crate::model::legal::{LegalDocKind, LegalVersionView};
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
