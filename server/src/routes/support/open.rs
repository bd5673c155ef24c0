//! `/support`: opening a ticket, and `/support/confirm`: a visitor's confirmation.

use super::{CONFIRM_FORM, FORM, SupportForm};
use crate::http::{FormContext, HttpError, MaybeUser, response::query_value};
use axum::{Form, extract::Multipart, response::Response};
use domain::support::{self, NewTicket, TicketStatus};
use serde::Deserialize;

/// Opens a ticket. Signed in, it opens at once and the person lands on its thread; a
/// visitor passes the challenge (when configured) and is told to confirm by email.
pub async fn submit(
    ctx: FormContext,
    user: Result<MaybeUser, HttpError>,
    multipart: Multipart,
) -> Response {
    let mut form = SupportForm::default();
    let result: Result<Response, HttpError> = async {
        let MaybeUser(user) = user?;
        form.read(multipart).await?;
        // Signed-in people passed a challenge when they signed in.
        if user.is_none() {
            ctx.challenge(form.turnstile.as_deref(), "support").await?;
        }
        let opened = support::open(
            &ctx.state,
            NewTicket {
                topic: form.topic.clone(),
                message: form.message.clone(),
                email: form.email.clone(),
                locale: ctx.locale.tag().to_string(),
                signed_in_user: user.map(|u| u.id),
                ip: Some(ctx.client.ip.clone()),
                screenshot: form.screenshot.take(),
            },
            domain::now_ms(),
        )
        .await
        .map_err(HttpError::domain)?;
        Ok(match opened.status {
            TicketStatus::Unconfirmed => {
                ctx.done(&ctx.path("/support"), "support-notice-check-inbox")
                    .await
            }
            _ => {
                ctx.done(
                    &ctx.path(&format!("/settings/support/{}", opened.id)),
                    "support-notice-opened",
                )
                .await
            }
        })
    }
    .await;
    match result {
        Ok(response) => response,
        Err(error) => ctx.refuse(FORM, error, &form.fields()).await,
    }
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    token: String,
}

/// Confirms a visitor's ticket with the token of its emailed link (the page's button posts
/// it; a mail scanner opening the link confirms nothing), then shows its thread.
pub async fn confirm(ctx: FormContext, Form(form): Form<ConfirmForm>) -> Response {
    let result: Result<Response, HttpError> = async {
        ctx.limit(&[(
            format!("support-confirm:ip:{}", ctx.client.ip),
            domain::ratelimit::limits::VERIFY_IP,
        )])
        .await?;
        let confirmed = support::confirm(&ctx.state, &form.token, domain::now_ms())
            .await
            .map_err(HttpError::domain)?;
        let thread = format!(
            "{}?token={}",
            ctx.path(&format!("/support/tickets/{}", confirmed.id)),
            query_value(&confirmed.thread_token)
        );
        Ok(ctx.done(&thread, "support-notice-confirmed").await)
    }
    .await;
    match result {
        Ok(response) => response,
        Err(error) => {
            let page = format!(
                "{}?token={}",
                ctx.path("/support/confirm"),
                query_value(&form.token)
            );
            ctx.refuse_at(&page, CONFIRM_FORM, error, &[]).await
        }
    }
}
