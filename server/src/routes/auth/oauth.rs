//! Sign-in with Google and GitHub over HTTP: the redirect to the provider (state and PKCE
//! verifier kept in the session), the callback, and finishing a new account after the
//! person confirms their age and accepts the terms.

use super::{Arriving, arrive};
use crate::http::{
    FormContext, HttpError, MaybeUser, extract::AFTER_SIGN_IN, local_path, see_other,
};
use axum::{
    Form,
    extract::{Path, Query},
    response::{IntoResponse, Redirect, Response},
};
use domain::accounts::{
    AccountError,
    oauth::{self, OAuthError, OAuthOutcome, PendingAuthorization, Provider, ProviderProfile},
    sessions::{self, flow},
};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct StartQuery {
    link: Option<String>,
}

/// `GET /auth/<provider>/start[?link=1]`: off to the provider.
pub async fn start(
    ctx: FormContext,
    Path(provider): Path<String>,
    Query(query): Query<StartQuery>,
) -> Response {
    let Some(provider) = Provider::parse(&provider).filter(|p| p.config(&ctx.state).is_some())
    else {
        return HttpError::not_found().into_response();
    };
    let link = query.link.as_deref() == Some("1");
    let return_to = ctx.path(if link {
        "/settings/security"
    } else {
        "/dashboard"
    });
    let (url, pending) = match oauth::begin(&ctx.state, provider, return_to, link) {
        Ok(started) => started,
        Err(e) => return ctx.refuse("sign-in", HttpError::domain(e), &[]).await,
    };
    if let Err(e) = ctx.session.insert(flow::OAUTH, pending).await {
        return ctx.refuse("sign-in", e.into(), &[]).await;
    }
    Redirect::to(&url).into_response()
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// `GET /auth/<provider>/callback?code&state`: back from the provider.
pub async fn callback(
    ctx: FormContext,
    current: Result<MaybeUser, HttpError>,
    Path(provider): Path<String>,
    Query(query): Query<CallbackQuery>,
) -> Response {
    let sign_in = ctx.path("/sign-in");
    let result: Result<Response, HttpError> = async {
        let pending: Option<PendingAuthorization> = ctx.session.remove(flow::OAUTH).await?;
        let Some(pending) = pending.filter(|p| p.provider.id() == provider) else {
            return Err(HttpError::domain(OAuthError::StateMismatch));
        };
        if query.error.is_some() {
            return Err(HttpError::domain(OAuthError::Denied));
        }
        let (Some(code), Some(state)) = (query.code.as_deref(), query.state.as_deref()) else {
            return Err(HttpError::domain(OAuthError::Denied));
        };
        let profile = oauth::complete(&ctx.state, &pending, state, code)
            .await
            .map_err(HttpError::domain)?;
        let current = match (pending.link, current) {
            (true, current) => current?.0,
            (false, _) => None,
        };
        let outcome = oauth::resolve(&ctx.state, profile, current.as_ref().map(|u| u.id.as_str()))
            .await
            .map_err(HttpError::domain)?;
        continue_after(&ctx, &pending, outcome).await
    }
    .await;
    match result {
        Ok(response) => response,
        Err(error) => {
            // Show the error on the sign-in page (the callback has no page of its own).
            error.log();
            let flash = app::model::Flash {
                form: "sign-in".into(),
                error: Some(error.code.to_string()),
                ..Default::default()
            };
            let _ = ctx.session.insert(flow::FLASH, flash).await;
            see_other(&sign_in)
        }
    }
}

/// Where a verified provider sign-in goes: back to the settings when an identity was
/// linked, on into the account (or its second factor), or to finishing a new account.
async fn continue_after(
    ctx: &FormContext,
    pending: &PendingAuthorization,
    outcome: OAuthOutcome,
) -> Result<Response, HttpError> {
    Ok(match outcome {
        OAuthOutcome::Linked(_) => {
            ctx.done(&pending.return_to, "auth-notice-identity-linked")
                .await
        }
        OAuthOutcome::SignedIn(user) => {
            if user.totp_enabled {
                ctx.session.cycle_id().await?;
                ctx.session
                    .insert(flow::PENDING_TWO_FACTOR, &user.id)
                    .await?;
                see_other(&ctx.path("/sign-in/two-factor"))
            } else {
                sessions::begin(&ctx.session, &user.id, ctx.client.device()).await?;
                arrive(ctx, &user.id, Arriving::SignIn).await;
                let next: Option<String> = ctx.session.remove(AFTER_SIGN_IN).await?;
                see_other(local_path(next.as_deref()).unwrap_or(&pending.return_to))
            }
        }
        OAuthOutcome::NeedsSignUp(profile) => {
            ctx.session.insert(flow::OAUTH_SIGN_UP, &profile).await?;
            let flash = app::model::Flash {
                fields: vec![(
                    "display_name".into(),
                    profile.name.clone().unwrap_or_default(),
                )],
                ..Default::default()
            };
            ctx.session.insert(flow::FLASH, flash).await?;
            see_other(&ctx.path("/sign-up/complete"))
        }
    })
}

#[derive(Deserialize)]
pub struct CompleteForm {
    #[serde(default)]
    display_name: String,
    age_confirmed: Option<String>,
    terms_accepted: Option<String>,
}

/// Creates the account for a provider sign-in once age and terms are confirmed.
pub async fn complete_sign_up(ctx: FormContext, Form(form): Form<CompleteForm>) -> Response {
    let fields = [("display_name", form.display_name.as_str())];
    let result: Result<Response, HttpError> = async {
        let profile: Option<ProviderProfile> = ctx.session.get(flow::OAUTH_SIGN_UP).await?;
        let Some(profile) = profile else {
            return Ok(see_other(&ctx.path("/sign-up")));
        };
        if form.age_confirmed.is_none() {
            return Err(HttpError::domain(AccountError::AgeNotConfirmed));
        }
        if form.terms_accepted.is_none() {
            return Err(HttpError::domain(AccountError::TermsNotAccepted));
        }
        let user =
            oauth::create_account(&ctx.state, &profile, &form.display_name, ctx.locale.tag())
                .await
                .map_err(HttpError::domain)?;
        ctx.session.remove_value(flow::OAUTH_SIGN_UP).await?;
        sessions::begin(&ctx.session, &user.id, ctx.client.device()).await?;
        arrive(&ctx, &user.id, Arriving::NewAccount).await;
        Ok(see_other(&ctx.path("/dashboard")))
    }
    .await;
    match result {
        Ok(response) => response,
        Err(error) => ctx.refuse("complete-sign-up", error, &fields).await,
    }
}
