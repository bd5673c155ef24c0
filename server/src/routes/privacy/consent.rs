//! `POST /consent`: records a choice from the banner or the privacy settings page, and
//! sets (or clears) the cookies it governs.

use crate::{
    http::{
        FormContext, HttpError,
        cookies::{preference_cookie, removal_cookie},
        local_path, see_other,
    },
    middleware::consent::session_user,
};
use app::request_cookie;
use axum::{
    Form,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use domain::privacy::consent::{
    self, ANALYTICS_COOKIE, ATTRIBUTION_COOKIE, CONSENT_COOKIE, Choice, Source, StoredChoice,
};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ConsentForm {
    /// `accept`, `reject`, `custom` or `withdraw`.
    #[serde(default)]
    choice: String,
    analytics: Option<String>,
    marketing: Option<String>,
    /// `banner` or `settings`: where the form was.
    #[serde(default)]
    source: String,
    /// The page to return to.
    to: Option<String>,
}

/// Records a choice and sets (or clears) the cookies it governs.
pub async fn choose(ctx: FormContext, Form(form): Form<ConsentForm>) -> Response {
    let ticked = |v: &Option<String>| v.as_deref().is_some_and(|v| !v.is_empty());
    let (choice, source) = match form.choice.as_str() {
        "accept" => (Choice::ACCEPT_ALL, None),
        "reject" => (Choice::REJECT_ALL, None),
        "withdraw" => (Choice::REJECT_ALL, Some(Source::Withdraw)),
        "custom" => (
            Choice {
                analytics: ticked(&form.analytics),
                marketing: ticked(&form.marketing),
            },
            None,
        ),
        _ => {
            return StatusCode::BAD_REQUEST.into_response();
        }
    };
    let source = source.unwrap_or(match form.source.as_str() {
        "settings" => Source::Settings,
        _ => Source::Banner,
    });
    let headers = ctx.headers();
    let gpc = consent::gpc_signal(headers.get("sec-gpc").and_then(|v| v.to_str().ok()));
    // Under the Global Privacy Control signal nothing that needs consent is switched on.
    let (choice, source) = if gpc && choice != Choice::REJECT_ALL {
        (Choice::REJECT_ALL, Source::Gpc)
    } else {
        (choice, source)
    };
    let previous = request_cookie(headers, CONSENT_COOKIE).and_then(StoredChoice::parse);
    let user_id = session_user(Some(&ctx.session)).await;
    let stored = match consent::record(
        &ctx.state,
        previous.as_ref().map(|p| p.visitor_id.as_str()),
        user_id.as_deref(),
        choice,
        source,
        domain::now_ms(),
    )
    .await
    {
        Ok(stored) => stored,
        Err(e) => {
            return HttpError::internal(format_args!("could not record a consent choice: {e}"))
                .into_response();
        }
    };
    let to = local_path(form.to.as_deref()).unwrap_or("/").to_owned();
    let mut response = if source == Source::Banner {
        see_other(&to)
    } else {
        ctx.done(&to, "privacy-notice-consent-saved").await
    };
    let state = &ctx.state;
    let cookies = response.headers_mut();
    cookies.append(
        header::SET_COOKIE,
        preference_cookie(state, CONSENT_COOKIE, &stored.cookie_value()),
    );
    if !choice.analytics {
        cookies.append(header::SET_COOKIE, removal_cookie(state, ANALYTICS_COOKIE));
    } else if request_cookie(headers, ANALYTICS_COOKIE).is_none() {
        cookies.append(
            header::SET_COOKIE,
            preference_cookie(state, ANALYTICS_COOKIE, &stored.visitor_id),
        );
    }
    if !choice.marketing {
        cookies.append(
            header::SET_COOKIE,
            removal_cookie(state, ATTRIBUTION_COOKIE),
        );
    }
    response
}
