//! The current version of a legal document, built from the privacy registry and this
//! site's configuration.

use crate::model::legal::LegalDoc;
use leptos::prelude::*;

/// The current version of document `doc` in `locale`; `None` for a document that does not
/// exist.
#[server(endpoint = "legal-doc")]
pub async fn load_legal_doc(
    doc: String,
    locale: String,
) -> Result<Option<LegalDoc>, ServerFnError> {
    use crate::api::ssr::state;
    use crate::i18n::Locale;
    use crate::legal::{LegalFacts, build};
    use crate::model::legal::LegalDocKind;
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
