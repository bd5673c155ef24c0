//! `/admin/*` forms: an admin's two-factor enrolment and notes on payment disputes. The
//! pages themselves are the app's; the gate keeps them to admins.

mod disputes;
mod two_factor;

use crate::http::{HttpState, LocalizedRoutes};
use axum::{Router, routing::post};

pub fn router(state: HttpState) -> Router {
    Router::new()
        .localized("/admin/two-factor", post(two_factor::enrol_two_factor))
        .localized("/admin/disputes/{id}/notes", post(disputes::dispute_note))
        .with_state(state)
}
