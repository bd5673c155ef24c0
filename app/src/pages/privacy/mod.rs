//! Pages under `/privacy` beside the privacy policy itself (which `legal` renders).

pub mod requests;
