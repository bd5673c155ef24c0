//! Consent on every request. The `track` middleware decides what the person has allowed
//! (their stored choice, the Global Privacy Control signal, or nothing yet), hands that
//! decision to the pages (the banner shows while undecided), counts page views only when
//! analytics are allowed, and takes back cookies a refusal no longer allows.

use crate::http::cookies::{preference_cookie, removal_cookie};
use app::request_cookie;
use axum::{
    extract::{Request, State},
    http::{HeaderMap, Method, StatusCode, header},
    middleware::Next,
    response::Response,
};
use domain::{
    AppState,
    accounts::sessions::keys,
    privacy::{
        analytics,
        consent::{
            self, ANALYTICS_COOKIE, ATTRIBUTION_COOKIE, CONSENT_COOKIE, Decision, StoredChoice,
        },
    },
};
use std::{
    sync::Mutex,
    time::{Duration, Instant},
};
use tower_sessions::Session;

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
pub async fn session_user(session: Option<&Session>) -> Option<String> {
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
    let mut carry = None;
    if decision == Decision::Undecided
        && let Some(user_id) = &user_id
        && let Some(stored) = carried_choice(&state, user_id).await
    {
        carry = Some(stored.cookie_value());
        decision = Decision::Decided(stored);
    }
    let path = request.uri().path().to_owned();
    let query = request.uri().query().map(str::to_owned);
    request.extensions_mut().insert(decision.clone());

    let mut response = next.run(request).await;

    let visitor = request_cookie(&headers, ANALYTICS_COOKIE).map(str::to_owned);
    let visit = Visit {
        state: &state,
        headers: &headers,
        decision: &decision,
        visitor,
    };
    visit.adjust_cookies(&mut response, carry, query.as_deref());
    if is_page_view {
        visit
            .count_page_view(&mut response, user_id.as_deref(), &path)
            .await;
    }
    response
}

/// A signed-in person's choice, which follows them to a browser that has none (unless a
/// newer policy asks again).
async fn carried_choice(state: &AppState, user_id: &str) -> Option<StoredChoice> {
    match consent::latest_for_user(&state.db, user_id).await {
        Ok(Some(stored)) => {
            let renew = renew_after(state).await;
            renew.is_none_or(|v| stored.version >= v).then_some(stored)
        }
        Ok(None) => None,
        Err(e) => {
            tracing::warn!(error = %e, "could not read a consent record");
            None
        }
    }
}

/// One request as the consent decision sees it, once its response is known.
struct Visit<'a> {
    state: &'a AppState,
    headers: &'a HeaderMap,
    decision: &'a Decision,
    /// The analytics cookie the browser sent.
    visitor: Option<String>,
}

impl Visit<'_> {
    /// Sets a carried choice, removes the cookies the choice does not allow, and keeps the
    /// campaign of a landing URL when marketing is allowed.
    fn adjust_cookies(&self, response: &mut Response, carry: Option<String>, query: Option<&str>) {
        let state = self.state;
        let choice = self.decision.choice();
        let cookies = response.headers_mut();
        if let Some(value) = carry {
            cookies.append(
                header::SET_COOKIE,
                preference_cookie(state, CONSENT_COOKIE, &value),
            );
        }
        if !choice.analytics && self.visitor.is_some() {
            cookies.append(header::SET_COOKIE, removal_cookie(state, ANALYTICS_COOKIE));
        }
        if !choice.marketing && request_cookie(self.headers, ATTRIBUTION_COOKIE).is_some() {
            cookies.append(
                header::SET_COOKIE,
                removal_cookie(state, ATTRIBUTION_COOKIE),
            );
        }
        if choice.marketing
            && let Some(value) = attribution(query)
        {
            cookies.append(
                header::SET_COOKIE,
                preference_cookie(state, ATTRIBUTION_COOKIE, &value),
            );
        }
    }

    /// Counts a page view that analytics allow, giving the browser its first-party id.
    async fn count_page_view(self, response: &mut Response, user_id: Option<&str>, path: &str) {
        let is_html = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.starts_with("text/html"));
        if !self.decision.choice().analytics || !is_html || response.status() != StatusCode::OK {
            return;
        }
        let visitor = match self.visitor {
            Some(id) if id.len() <= 64 => id,
            _ => {
                // One first-party id per browser: the consent record and the events it
                // allowed stay together (and leave together in an export or a deletion).
                let id = match self.decision {
                    Decision::Decided(stored) => stored.visitor_id.clone(),
                    _ => domain::new_id(),
                };
                response.headers_mut().append(
                    header::SET_COOKIE,
                    preference_cookie(self.state, ANALYTICS_COOKIE, &id),
                );
                id
            }
        };
        if let Err(e) = analytics::record(
            self.state,
            self.decision,
            &visitor,
            user_id,
            "page_view",
            path,
            domain::now_ms(),
        )
        .await
        {
            tracing::warn!(error = %e, "could not record a page view");
        }
    }
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
