//! `/admin/two-factor`: an admin enrols two-factor, and sees their recovery codes once.

use crate::http::{EnrollingAdmin, FormContext, HttpError};
use axum::{Form, response::Response};
use domain::accounts::two_factor;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

pub async fn enrol_two_factor(
    ctx: FormContext,
    EnrollingAdmin(user): EnrollingAdmin,
    Form(form): Form<CodeForm>,
) -> Response {
    let result: Result<Vec<String>, HttpError> = async {
        ctx.limit(&[(
            format!("two-factor:{}", user.id),
            domain::ratelimit::limits::TOTP_ACCOUNT,
        )])
        .await?;
        let codes = two_factor::confirm_enrolment(&ctx.state, &user.id, &form.code)
            .await
            .map_err(HttpError::domain)?;
        // A privilege change: new session id, and this session has given its code.
        ctx.session.cycle_id().await?;
        domain::accounts::sessions::record_second_factor(&ctx.session, &user.id).await?;
        Ok(codes)
    }
    .await;
    match result {
        Ok(codes) => {
            // Shown in the answer to this form, once: never stored in the session.
            let flash = app::model::Flash {
                notice: Some("auth-notice-two-factor-enabled".into()),
                fields: vec![("recovery_codes".into(), codes.join(" "))],
                ..Default::default()
            };
            ctx.show_once(&ctx.path("/admin/two-factor"), flash).await
        }
        Err(error) => ctx.refuse("two-factor-setup", error, &[]).await,
    }
}
