//! Whose work it is: the signed-in account, else the guest of the signed cookie, made on a
//! first upload or submit.

use super::INTERNAL;
use crate::http::{FormContext, HttpError};
use app::api::workbench::ssr::guest_of;
use axum::http::HeaderValue;
use domain::{
    accounts::User,
    generation::{guests, tasks::Owner},
    privacy,
    ratelimit::limits,
};

/// Who is asking: the signed-in account, else the guest of the signed cookie (unless that
/// guest has since moved to an account).
pub async fn owner_of(ctx: &FormContext, user: Option<User>) -> Result<Option<Owner>, HttpError> {
    if let Some(user) = user {
        return Ok(Some(Owner::User(user.id)));
    }
    let Some(guest) = guest_of(&ctx.state, ctx.headers()) else {
        return Ok(None);
    };
    let migrated = guests::migrated_to(&ctx.state.db, &guest)
        .await
        .map_err(|e| HttpError::internal_as(INTERNAL, e))?;
    Ok(match migrated {
        Some(Some(_)) => None,
        _ => Some(Owner::Guest(guest)),
    })
}

/// [`owner_of`], making a new guest (and its cookie) for a first-time visitor. The cookie
/// to set, if any, comes back with the owner.
pub async fn owner_or_new_guest(
    ctx: &FormContext,
    user: Option<User>,
) -> Result<(Owner, Option<HeaderValue>), HttpError> {
    if let Some(owner) = owner_of(ctx, user).await? {
        return Ok((owner, None));
    }
    // Counted per network, not per address: an IPv6 /64 is one subscriber.
    let network = domain::ratelimit::network_of(&ctx.client.ip);
    ctx.limit(&[
        (format!("guest:net:{network}"), limits::GUEST_NETWORK),
        (
            format!("guest:net-day:{network}"),
            limits::GUEST_NETWORK_DAY,
        ),
    ])
    .await?;
    let id = domain::new_id();
    let config = &ctx.state.config;
    guests::ensure(
        &ctx.state.db,
        &id,
        config.generation.guest_trial_credits,
        domain::now_ms(),
    )
    .await
    .map_err(|e| HttpError::internal_as(INTERNAL, e))?;
    let max_age = guests::retention_ms() / 1000;
    let secure = if config.is_https() { "; Secure" } else { "" };
    let cookie = format!(
        "{}={}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}",
        privacy::GUEST_COOKIE,
        guests::cookie_value(&config.secret_key, &id)
    );
    let header = HeaderValue::from_str(&cookie).map_err(|e| HttpError::internal_as(INTERNAL, e))?;
    Ok((Owner::Guest(id), Some(header)))
}

/// The rate-limit key of an owner.
pub fn owner_key(owner: &Owner) -> String {
    match owner {
        Owner::User(id) => format!("user:{id}"),
        Owner::Guest(id) => format!("guest:{id}"),
    }
}
