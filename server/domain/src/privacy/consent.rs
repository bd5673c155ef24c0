//! Consent to cookies and tracking beyond what the service needs. Nothing that needs consent
//! (analytics, marketing attribution) runs before a choice is made; the Global Privacy
//! Control signal counts as "reject"; every choice is recorded with its time, the privacy
//! policy version it was made under and where it was made, and can be changed at any time.

use super::{CookieCategory, policy};
use crate::{AppState, db::Db};

pub use crate::registry::{ANALYTICS_COOKIE, ATTRIBUTION_COOKIE, CONSENT_COOKIE};

/// A choice about the categories that need consent. Essential and functional cookies need
/// none: they only do what the person asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Choice {
    pub analytics: bool,
    pub marketing: bool,
}

impl Choice {
    pub const ACCEPT_ALL: Choice = Choice {
        analytics: true,
        marketing: true,
    };
    pub const REJECT_ALL: Choice = Choice {
        analytics: false,
        marketing: false,
    };

    /// Whether cookies of `category` may be set under this choice.
    pub fn allows(self, category: CookieCategory) -> bool {
        match category {
            CookieCategory::Essential | CookieCategory::Functional => true,
            CookieCategory::Analytics => self.analytics,
            CookieCategory::Marketing => self.marketing,
        }
    }
}

/// Where a choice was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The banner shown on a first visit.
    Banner,
    /// The privacy settings page.
    Settings,
    /// The browser's Global Privacy Control signal.
    Gpc,
    /// "Withdraw consent" on the privacy settings page.
    Withdraw,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Banner => "banner",
            Source::Settings => "settings",
            Source::Gpc => "gpc",
            Source::Withdraw => "withdraw",
        }
    }
}

/// A browser's stored choice, as the consent cookie holds it: `<version>.<a><m>.<visitor>`,
/// e.g. `2026-11-23.10.0193…` (analytics yes, marketing no).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredChoice {
    pub version: String,
    pub choice: Choice,
    pub visitor_id: String,
}

impl StoredChoice {
    pub fn cookie_value(&self) -> String {
        format!(
            "{}.{}{}.{}",
            self.version, self.choice.analytics as u8, self.choice.marketing as u8, self.visitor_id
        )
    }

    pub fn parse(value: &str) -> Option<StoredChoice> {
        let mut parts = value.splitn(3, '.');
        let version = parts.next()?;
        let flags = parts.next()?.as_bytes();
        let visitor_id = parts.next()?;
        let flag = |b: u8| match b {
            b'0' => Some(false),
            b'1' => Some(true),
            _ => None,
        };
        let valid_id = !visitor_id.is_empty()
            && visitor_id.len() <= 64
            && visitor_id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if flags.len() != 2 || !valid_id || policy::day_start_ms(version).is_none() {
            return None;
        }
        Some(StoredChoice {
            version: version.to_string(),
            choice: Choice {
                analytics: flag(flags[0])?,
                marketing: flag(flags[1])?,
            },
            visitor_id: visitor_id.to_string(),
        })
    }
}

/// The choice in force for one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// No choice yet (or one made under a privacy policy since changed materially): ask,
    /// and until then allow only what needs no consent.
    Undecided,
    /// The browser sends the Global Privacy Control signal: treated as "reject all",
    /// whatever was stored.
    Gpc,
    Decided(StoredChoice),
}

impl Decision {
    /// What may run for this request.
    pub fn choice(&self) -> Choice {
        match self {
            Decision::Decided(stored) => stored.choice,
            Decision::Undecided | Decision::Gpc => Choice::REJECT_ALL,
        }
    }
}

/// The choice in force for a request carrying `cookie` (the consent cookie's value) and the
/// `Sec-GPC` header `gpc`. `renew_after` is the newest privacy policy version that changed
/// what consent covers: a choice made before it is asked again.
pub fn decide(cookie: Option<&str>, gpc: bool, renew_after: Option<&str>) -> Decision {
    if gpc {
        return Decision::Gpc;
    }
    match cookie.and_then(StoredChoice::parse) {
        Some(stored) if renew_after.is_none_or(|v| stored.version.as_str() >= v) => {
            Decision::Decided(stored)
        }
        _ => Decision::Undecided,
    }
}

/// Whether a request says `Sec-GPC: 1`.
pub fn gpc_signal(value: Option<&str>) -> bool {
    value.is_some_and(|v| v.trim() == "1")
}

/// The newest material version of the privacy or cookie policy (choices made before it are
/// asked again).
pub async fn renew_after(db: &Db) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(Option<String>,)> = sqlx::query_as(
        "SELECT MAX(version) FROM policy_versions WHERE material = 1 \
         AND doc IN ('privacy', 'cookies')",
    )
    .fetch_optional(db.pool())
    .await?;
    Ok(row.and_then(|(v,)| v))
}

/// Records a choice: a new row (the record is append-only), for the browser and, when
/// signed in, the person. Returns what the consent cookie should now hold.
pub async fn record(
    state: &AppState,
    visitor_id: Option<&str>,
    user_id: Option<&str>,
    choice: Choice,
    source: Source,
    now_ms: i64,
) -> Result<StoredChoice, sqlx::Error> {
    let visitor_id = visitor_id.map(str::to_owned).unwrap_or_else(crate::new_id);
    let version = policy::consent_version().to_string();
    sqlx::query(
        "INSERT INTO consent_records (id, user_id, visitor_id, functional, analytics, \
         marketing, source, policy_version, created_at) \
         VALUES ($1, $2, $3, 1, $4, $5, $6, $7, $8)",
    )
    .bind(crate::new_id())
    .bind(user_id.map(str::to_owned))
    .bind(visitor_id.clone())
    .bind(choice.analytics as i64)
    .bind(choice.marketing as i64)
    .bind(source.as_str())
    .bind(version.clone())
    .bind(now_ms)
    .execute(state.db.pool())
    .await?;
    if !choice.analytics {
        // Withdrawing consent also ends what it allowed: events already stored under this
        // browser stop being linked to the person.
        sqlx::query("UPDATE analytics_events SET user_id = NULL WHERE visitor_id = $1")
            .bind(visitor_id.clone())
            .execute(state.db.pool())
            .await?;
    }
    Ok(StoredChoice {
        version,
        choice,
        visitor_id,
    })
}

/// One recorded choice, for the person's privacy page and their export.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ConsentRecord {
    pub analytics: bool,
    pub marketing: bool,
    pub source: String,
    pub policy_version: String,
    pub created_at: i64,
}

/// The person's recorded choices, newest first.
pub async fn history(db: &Db, user_id: &str) -> Result<Vec<ConsentRecord>, sqlx::Error> {
    let rows: Vec<(i64, i64, String, String, i64)> = sqlx::query_as(
        "SELECT analytics, marketing, source, policy_version, created_at FROM consent_records \
         WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 100",
    )
    .bind(user_id.to_owned())
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(analytics, marketing, source, policy_version, created_at)| ConsentRecord {
                analytics: analytics != 0,
                marketing: marketing != 0,
                source,
                policy_version,
                created_at,
            },
        )
        .collect())
}

/// The person's latest choice made signed in, to carry it to a browser that has none.
pub async fn latest_for_user(db: &Db, user_id: &str) -> Result<Option<StoredChoice>, sqlx::Error> {
    let row: Option<(String, i64, i64, String)> = sqlx::query_as(
        "SELECT policy_version, analytics, marketing, visitor_id FROM consent_records \
         WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(user_id.to_owned())
    .fetch_optional(db.pool())
    .await?;
    Ok(
        row.map(|(version, analytics, marketing, visitor_id)| StoredChoice {
            version,
            choice: Choice {
                analytics: analytics != 0,
                marketing: marketing != 0,
            },
            visitor_id,
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        db::Db,
        testing::{insert_user, state_for},
    };

    #[test]
    fn the_cookie_round_trips_and_rejects_tampering() {
        let stored = StoredChoice {
            version: "2026-11-23".into(),
            choice: Choice {
                analytics: true,
                marketing: false,
            },
            visitor_id: "0193aa-bc".into(),
        };
        assert_eq!(stored.cookie_value(), "2026-11-23.10.0193aa-bc");
        assert_eq!(StoredChoice::parse(&stored.cookie_value()), Some(stored));
        for bad in [
            "",
            "2026-11-23.1.abc",
            "2026-11-23.12.abc",
            "2026-11-23.10.",
            "yesterday.10.abc",
            "2026-11-23.10.a<b",
        ] {
            assert_eq!(StoredChoice::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn gpc_overrides_any_stored_choice_and_material_changes_ask_again() {
        let accepted = "2026-11-23.11.abc";
        assert_eq!(decide(Some(accepted), true, None), Decision::Gpc);
        assert_eq!(
            decide(Some(accepted), true, None).choice(),
            Choice::REJECT_ALL
        );
        assert_eq!(decide(None, false, None), Decision::Undecided);
        assert_eq!(decide(None, false, None).choice(), Choice::REJECT_ALL);
        assert_eq!(
            decide(Some(accepted), false, None).choice(),
            Choice::ACCEPT_ALL
        );
        assert_eq!(
            decide(Some(accepted), false, Some("2026-11-23")).choice(),
            Choice::ACCEPT_ALL
        );
        assert_eq!(
            decide(Some(accepted), false, Some("2027-02-01")),
            Decision::Undecided
        );
        assert!(gpc_signal(Some("1")) && !gpc_signal(Some("0")) && !gpc_signal(None));
        assert!(Choice::REJECT_ALL.allows(CookieCategory::Essential));
        assert!(Choice::REJECT_ALL.allows(CookieCategory::Functional));
        assert!(!Choice::REJECT_ALL.allows(CookieCategory::Analytics));
        assert!(!Choice::REJECT_ALL.allows(CookieCategory::Marketing));
    }

    async fn choices_are_recorded_append_only(db: Db) {
        let (state, _dir) = state_for(db);
        let user = insert_user(&state.db, "ada@example.com").await;
        let first = record(
            &state,
            None,
            None,
            Choice::ACCEPT_ALL,
            Source::Banner,
            1_000,
        )
        .await
        .unwrap();
        assert_eq!(first.version, policy::consent_version());
        let second = record(
            &state,
            Some(&first.visitor_id),
            Some(&user),
            Choice::REJECT_ALL,
            Source::Settings,
            2_000,
        )
        .await
        .unwrap();
        assert_eq!(second.visitor_id, first.visitor_id);
        let history = history(&state.db, &user).await.unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].source, "settings");
        assert_eq!(history[0].created_at, 2_000);
        assert_eq!(history[0].policy_version, policy::consent_version());
        let all: (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM consent_records WHERE visitor_id = $1")
                .bind(&first.visitor_id)
                .fetch_one(state.db.pool())
                .await
                .unwrap();
        assert_eq!(all.0, 2, "the earlier choice is kept as proof");
        let latest = latest_for_user(&state.db, &user).await.unwrap().unwrap();
        assert_eq!(latest.choice, Choice::REJECT_ALL);
    }

    testkit::db_test!(choices_are_recorded_append_only_on, |db: Db| {
        choices_are_recorded_append_only(db)
    });
}
