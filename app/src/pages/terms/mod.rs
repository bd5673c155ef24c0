//! Pages under `/terms` beside the terms themselves (which `legal` renders).

pub mod accept;
