//! Publishes the current version of every legal document at start-up: the rendered text in
//! every language, as the site runs with this configuration, goes into the version archive
//! (`/legal/<doc>/versions`). Publishing is idempotent, so every start and every instance
//! may do it; the first to publish a version fixes its text.

use app::i18n::Locale;
use app::{
    legal::{LegalFacts, build},
    model::legal::LegalDocKind,
};
use domain::{AppState, privacy::policy};

/// Publishes each document's current version; a failure is logged and the others go on.
pub async fn publish_current(state: &AppState) {
    let facts = LegalFacts::from_config(&state.config);
    for kind in LegalDocKind::ALL {
        let doc: policy::Doc = kind.into();
        let version = policy::current(doc);
        let Some(effective_at) = policy::day_start_ms(version.effective) else {
            tracing::error!(
                doc = doc.id(),
                effective = version.effective,
                "legal document has an unreadable effective date; not published"
            );
            continue;
        };
        let mut snapshots = Vec::with_capacity(Locale::ALL.len());
        for locale in Locale::ALL {
            match serde_json::to_string(&build(kind, locale, &facts)) {
                Ok(json) => snapshots.push((locale.tag().to_string(), json)),
                Err(e) => {
                    tracing::error!(doc = doc.id(), error = %e, "legal document not serialized")
                }
            }
        }
        if let Err(e) = policy::publish(
            state,
            doc,
            version.version,
            effective_at,
            version.material,
            &snapshots,
            domain::now_ms(),
        )
        .await
        {
            tracing::error!(doc = doc.id(), error = %e, "legal document not published");
        }
    }
}
