//! A person's reply in their thread: signed in (`/settings/support/{id}/reply`) or through
//! the thread's signed link (`/support/tickets/{id}/reply`, the token in the form). Anyone
//! else's ticket is the same 404 as no ticket.

use super::{REPLY_FORM, SupportForm};
use crate::http::{CurrentUser, FormContext, HttpError, response::query_value};
use axum::{
    extract::{Multipart, Path},
    response::Response,
};
use domain::support::{self, Reader};

/// Stores the reply of `reader`, then shows the thread at `page` again.
async fn reply(
    ctx: &FormContext,
    id: &str,
    reader: Reader<'_>,
    form: &mut SupportForm,
    page: &str,
) -> Response {
    let result = support::reply(
        &ctx.state,
        id,
        reader,
        &form.message,
        form.screenshot.take(),
        domain::now_ms(),
    )
    .await;
    match result {
        Ok(_) => ctx.done(page, "support-notice-replied").await,
        Err(e) => {
            ctx.refuse_at(page, REPLY_FORM, HttpError::domain(e), &form.fields())
                .await
        }
    }
}

pub async fn signed_in(
    ctx: FormContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    multipart: Multipart,
) -> Response {
    let page = ctx.path(&format!("/settings/support/{id}"));
    let mut form = SupportForm::default();
    if let Err(error) = form.read(multipart).await {
        return ctx
            .refuse_at(&page, REPLY_FORM, error, &form.fields())
            .await;
    }
    reply(&ctx, &id, Reader::Account(&user.id), &mut form, &page).await
}

pub async fn by_link(ctx: FormContext, Path(id): Path<String>, multipart: Multipart) -> Response {
    let mut form = SupportForm::default();
    let read = form.read(multipart).await;
    let page = format!(
        "{}?token={}",
        ctx.path(&format!("/support/tickets/{id}")),
        query_value(&form.token)
    );
    if let Err(error) = read {
        return ctx
            .refuse_at(&page, REPLY_FORM, error, &form.fields())
            .await;
    }
    let token = form.token.clone();
    reply(&ctx, &id, Reader::Link(&token), &mut form, &page).await
}
