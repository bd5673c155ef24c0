//! First-party analytics: which pages are used, counted on our own server. An event is
//! stored only with analytics consent, never under the Global Privacy Control signal, and
//! never for a person who restricted processing or objected to it. Paths are stored without
//! query strings and with identifiers blanked, so an event says what kind of page was seen,
//! not which order or creation.

use super::consent::Decision;
use crate::{AppState, db::Db};

/// The longest path kept.
const MAX_PATH: usize = 200;

/// `path` as stored: no query or fragment, segments that look like identifiers replaced by
/// `:id`, at most [`MAX_PATH`] bytes.
pub fn normalize_path(path: &str) -> String {
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let mut out = String::new();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        out.push('/');
        let identifier = segment.len() >= 8
            && segment.chars().any(|c| c.is_ascii_digit())
            && segment
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if identifier || segment.chars().all(|c| c.is_ascii_digit()) {
            out.push_str(":id");
        } else {
            out.extend(segment.chars().filter(|c| !c.is_control()));
        }
        if out.len() > MAX_PATH {
            let mut cut = MAX_PATH;
            while !out.is_char_boundary(cut) {
                cut -= 1;
            }
            out.truncate(cut);
            break;
        }
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// Records event `name` on `path` when the request's consent allows it. `visitor_id` is the
/// analytics cookie's value. Returns whether an event was stored.
pub async fn record(
    state: &AppState,
    decision: &Decision,
    visitor_id: &str,
    user_id: Option<&str>,
    name: &str,
    path: &str,
    now_ms: i64,
) -> Result<bool, sqlx::Error> {
    if !decision.choice().analytics || visitor_id.is_empty() || visitor_id.len() > 64 {
        return Ok(false);
    }
    if let Some(user_id) = user_id
        && super::preferences::limits_processing(&state.db, user_id).await
    {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO analytics_events (id, visitor_id, user_id, name, path, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(crate::new_id())
    .bind(visitor_id.to_owned())
    .bind(user_id.map(str::to_owned))
    .bind(name.to_owned())
    .bind(normalize_path(path))
    .bind(now_ms)
    .execute(state.db.pool())
    .await?;
    Ok(true)
}

/// Events stored for `user_id`, newest first (their export and privacy page).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct StoredEvent {
    pub name: String,
    pub path: String,
    pub created_at: i64,
}

pub async fn for_user(db: &Db, user_id: &str) -> Result<Vec<StoredEvent>, sqlx::Error> {
    sqlx::query_as(
        "SELECT name, path, created_at FROM analytics_events WHERE user_id = $1 \
         ORDER BY created_at DESC, id DESC",
    )
    .bind(user_id.to_owned())
    .fetch_all(db.pool())
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::privacy::consent::{Choice, StoredChoice};
    use crate::{
        db::Db,
        testing::{insert_user, state_for},
    };

    #[test]
    fn paths_lose_queries_and_identifiers() {
        assert_eq!(normalize_path("/pricing?utm_source=x#top"), "/pricing");
        assert_eq!(
            normalize_path("/settings/billing/orders/BN-20261122-0042"),
            "/settings/billing/orders/:id"
        );
        assert_eq!(
            normalize_path("/zh-CN/legal/privacy/versions/2026-11-23"),
            "/zh-CN/legal/privacy/versions/:id"
        );
        assert_eq!(normalize_path("/workbench"), "/workbench");
        assert_eq!(normalize_path(""), "/");
        assert!(normalize_path(&"/a".repeat(500)).len() <= MAX_PATH);
    }

    fn decided(analytics: bool) -> Decision {
        Decision::Decided(StoredChoice {
            version: "2026-11-23".into(),
            choice: Choice {
                analytics,
                marketing: false,
            },
            visitor_id: "v1".into(),
        })
    }

    async fn events_need_consent_and_no_restriction(db: Db) {
        let (state, _dir) = state_for(db);
        let user = insert_user(&state.db, "ada@example.com").await;
        let page = |d: Decision, user: Option<String>| {
            let state = state.clone();
            async move {
                record(
                    &state,
                    &d,
                    "v1",
                    user.as_deref(),
                    "page_view",
                    "/pricing",
                    5,
                )
                .await
                .unwrap()
            }
        };
        assert!(
            !page(Decision::Undecided, None).await,
            "nothing before a choice"
        );
        assert!(!page(Decision::Gpc, None).await, "GPC is a refusal");
        assert!(!page(decided(false), None).await);
        assert!(page(decided(true), Some(user.clone())).await);
        assert_eq!(for_user(&state.db, &user).await.unwrap().len(), 1);
        // A person who restricts processing is no longer counted.
        sqlx::query(
            "INSERT INTO privacy_preferences (user_id, restricted_at, updated_at) VALUES ($1, 9, 9)",
        )
        .bind(&user)
        .execute(state.db.pool())
        .await
        .unwrap();
        assert!(!page(decided(true), Some(user.clone())).await);
        let total: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM analytics_events")
            .fetch_one(state.db.pool())
            .await
            .unwrap();
        assert_eq!(total.0, 1);
    }

    testkit::db_test!(events_need_consent_and_no_restriction_on, |db: Db| {
        events_need_consent_and_no_restriction(db)
    });
}
