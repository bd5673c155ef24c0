//! `POST /settings/privacy/delete`: deleting one's account. The rules are in
//! `domain::privacy::deletion`.

use super::{DELETE_FORM, settings_page};
use crate::http::{CurrentUser, FormContext, HttpError};
use axum::{Form, response::Response};
use domain::{
    accounts::sessions::keys,
    privacy::deletion::{self, Reauth},
};
use secrecy::SecretString;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct DeleteForm {
    password: Option<String>,
    #[serde(default)]
    confirm_email: String,
    code: Option<String>,
}

/// `POST /settings/privacy/delete`: deletes the signed-in account once the person proved
/// it is theirs (see [`Reauth`]). This browser's session goes with all the others, and the
/// sign-in page (where a signed-out person lands, and which shows notices) says it is done.
pub async fn delete_account(
    ctx: FormContext,
    CurrentUser(user): CurrentUser,
    Form(form): Form<DeleteForm>,
) -> Response {
    let signed_in_at = ctx
        .session
        .get::<i64>(keys::SIGNED_IN_AT)
        .await
        .ok()
        .flatten();
    let reauth = Reauth {
        password: form.password.clone().map(SecretString::from),
        confirm_email: form.confirm_email.clone(),
        signed_in_at,
        two_factor_code: form.code.clone(),
    };
    let deleted = deletion::delete_account(
        &ctx.state,
        &user.id,
        reauth,
        domain::now_ms(),
        Some(&ctx.client.ip),
    )
    .await;
    match deleted {
        Ok(()) => {
            // Its record is already gone with the person's other sessions; this browser
            // forgets it too, and the notice travels in a fresh, anonymous session under a
            // new id (never the old cookie's).
            let ended = async {
                ctx.session.flush().await?;
                ctx.session.cycle_id().await
            };
            if let Err(error) = ended.await {
                tracing::warn!(%error, "could not end the session of a deleted account");
            }
            ctx.done(&ctx.path("/sign-in"), "privacy-delete-notice-done")
                .await
        }
        Err(error) => {
            // The typed address is kept; the password and code are not.
            let fields = [("confirm_email", form.confirm_email.as_str())];
            ctx.refuse_at(
                &settings_page(&ctx),
                DELETE_FORM,
                HttpError::domain(error),
                &fields,
            )
            .await
        }
    }
}
