//! The legal pages' data: the current version of a document (built from the privacy
//! registry and this site's configuration), the list of published versions, and a published
//! version exactly as it read. Open to everyone.

mod load_legal_doc;
mod load_legal_snapshot;
mod load_legal_versions;

pub use load_legal_doc::load_legal_doc;
pub use load_legal_snapshot::load_legal_snapshot;
pub use load_legal_versions::load_legal_versions;
