//! Consent over HTTP. The `track` middleware decides, for every request, what the person has
//! allowed (their stored choice, the Global Privacy Control signal, or nothing yet), hands
//! that decision to the pages (the banner shows while undecided), counts page views only when
//! analytics are allowed, and takes back cookies a refusal no longer allows. `POST /consent`
//! records a choice from the banner or the privacy settings page.

use crate::{
    auth::{AuthState, FormContext, local_path, see_other},
    routes::{preference_cookie, removal_cookie},
};
use app::request_cookie;
use axum::{
    Form, Router,
    extract::{Request, State},
    http::{HeaderMap, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
    routing::post,
};
use domain::{
    AppState,
    accounts::sessions::keys,
    privacy::{
        analytics,
        consent::{
            self, ANALYTICS_COOKIE, ATTRIBUTION_COOKIE, CONSENT_COOKIE, Choice, Decision, Source,
            StoredChoice,
        },
    },
};
use serde::Deserialize;
use std::{
    sync::Mutex,
    time::{Duration, Instant},
};
use tower_sessions::Session;

pub fn routes(state: AuthState) -> Router {
    Router::new()
        .route("/consent", post(choose))
        .with_state(state)
}

/// How long the newest material policy version is cached in this process.
const RENEW_CACHE: Duration = Duration::from_secs(30);

/// The newest privacy or cookie policy version that asks for consent again, read at most
/// every [`RENEW_CACHE`].
async fn renew_after(state: &AppState) -> Option<String> {
    static CACHE: Mutex<Option<(Instant, Option<String>)>> = Mutex::new(None);
    if let Some((at, value)) = CACHE.lock().expect("cache lock").as_ref()
        && at.elapsed() < RENEW_CACHE
    {
        return value.clone();
    }
    match consent::renew_after(&state.db).await {
        Ok(value) => {
            *CACHE.lock().expect("cache lock") = Some((Instant::now(), value.clone()));
            value
        }
        Err(e) => {
            tracing::warn!(error = %e, "could not read policy versions");
            None
        }
    }
}

/// The decision for a request from its headers alone.
pub async fn decision_of(state: &AppState, headers: &HeaderMap) -> Decision {
    let gpc = consent::gpc_signal(headers.get("sec-gpc").and_then(|v| v.to_str().ok()));
    let renew = renew_after(state).await;
    consent::decide(
        request_cookie(headers, CONSENT_COOKIE),
        gpc,
        renew.as_deref(),
    )
}

/// The signed-in person of the request's session, read without renewing it.
async fn session_user(session: Option<&Session>) -> Option<String> {
    session?.get::<String>(keys::USER_ID).await.ok().flatten()
}

/// `utm_source` (with medium and campaign) of a landing URL, as the attribution cookie
/// holds it: short, only safe characters.
fn attribution(query: Option<&str>) -> Option<String> {
    let query = query?;
    let mut values = [None, None, None];
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        let slot = match key.as_ref() {
            "utm_source" => 0,
            "utm_medium" => 1,
            "utm_campaign" => 2,
            _ => continue,
        };
        let clean: String = value
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
            .take(40)
            .collect();
        if !clean.is_empty() {
            values[slot] = Some(clean);
        }
    }
    values[0].as_ref()?;
    Some(
        values
            .iter()
            .map(|v| v.clone().unwrap_or_default())
            .collect::<Vec<_>>()
            .join("."),
    )
}

/// The middleware (inside the session layer).
pub async fn track(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let mut decision = decision_of(&state, request.headers()).await;
    let headers = request.headers().clone();
    let is_page_view = request.method() == Method::GET
        && headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"));
    // The session is read only for page views that need it (to carry a choice or to count
    // the page), never for files and API calls.
    let user_id =
        if is_page_view && (decision == Decision::Undecided || decision.choice().analytics) {
            session_user(request.extensions().get::<Session>()).await
        } else {
            None
        };
    // A signed-in person's choice follows them to a browser that has none.
    let mut carry = None;
    if decision == Decision::Undecided
        && let Some(user_id) = &user_id
    {
        match consent::latest_for_user(&state.db, user_id).await {
            Ok(Some(stored)) => {
                let renew = renew_after(&state).await;
                if renew.is_none_or(|v| stored.version >= v) {
                    carry = Some(stored.cookie_value());
                    decision = Decision::Decided(stored);
                }
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "could not read a consent record"),
        }
    }
    let path = request.uri().path().to_owned();
    let query = request.uri().query().map(str::to_owned);
    request.extensions_mut().insert(decision.clone());

    let mut response = next.run(request).await;

    let choice = decision.choice();
    let cookies = response.headers_mut();
    if let Some(value) = carry {
        cookies.append(
            header::SET_COOKIE,
            preference_cookie(&state, CONSENT_COOKIE, &value),
        );
    }
    let visitor = request_cookie(&headers, ANALYTICS_COOKIE).map(str::to_owned);
    if !choice.analytics && visitor.is_some() {
        cookies.append(header::SET_COOKIE, removal_cookie(&state, ANALYTICS_COOKIE));
    }
    if !choice.marketing && request_cookie(&headers, ATTRIBUTION_COOKIE).is_some() {
        cookies.append(
            header::SET_COOKIE,
            removal_cookie(&state, ATTRIBUTION_COOKIE),
        );
    }
    if choice.marketing
        && let Some(value) = attribution(query.as_deref())
    {
        cookies.append(
            header::SET_COOKIE,
            preference_cookie(&state, ATTRIBUTION_COOKIE, &value),
        );
    }
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/html"));
    if choice.analytics && is_page_view && is_html && response.status() == StatusCode::OK {
        let visitor = match visitor {
            Some(id) if id.len() <= 64 => id,
            _ => {
                // One first-party id per browser: the consent record and the events it
                // allowed stay together (and leave together in an export or a deletion).
                let id = match &decision {
                    Decision::Decided(stored) => stored.visitor_id.clone(),
                    _ => domain::new_id(),
                };
                response.headers_mut().append(
                    header::SET_COOKIE,
                    preference_cookie(&state, ANALYTICS_COOKIE, &id),
                );
                id
            }
        };
        if let Err(e) = analytics::record(
            &state,
            &decision,
            &visitor,
            user_id.as_deref(),
            "page_view",
            &path,
            domain::now_ms(),
        )
        .await
        {
            tracing::warn!(error = %e, "could not record a page view");
        }
    }
    response
}

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
async fn choose(ctx: FormContext, Form(form): Form<ConsentForm>) -> Response {
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
            tracing::error!(error = %e, "could not record a consent choice");
            return crate::AppError::Internal(anyhow::anyhow!("consent not recorded"))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribution_keeps_only_campaign_words() {
        assert_eq!(
            attribution(Some("utm_source=news%3Cx%3E&utm_campaign=spring-1&x=1")).as_deref(),
            Some("newsx..spring-1")
        );
        assert_eq!(attribution(Some("utm_medium=mail")), None);
        assert_eq!(attribution(None), None);
    }
}
