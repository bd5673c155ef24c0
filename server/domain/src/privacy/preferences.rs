//! A person's standing choices about processing beyond the service itself: restriction
//! (GDPR Art. 18), objection to processing on legitimate interest (Art. 21), and marketing
//! email, which rests on consent and is therefore off until the person turns it on.
//!
//! While processing is restricted or objected to, analytics, marketing and profiling stop;
//! the service itself (accounts, generation, billing) goes on, as it rests on the contract.

use crate::{AppState, db::Db};
use sqlx::Row;

/// What a person has chosen. The default is what someone who never chose gets: nothing
/// restricted, no objection, no marketing email.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Preferences {
    pub restricted: bool,
    pub objected: bool,
    pub marketing: bool,
}

impl Preferences {
    /// Whether analytics, marketing and profiling must stop for this person.
    pub fn limits_processing(self) -> bool {
        self.restricted || self.objected
    }

    /// Whether this person may get marketing email: opted in, and not restricted or
    /// objecting (an objection to direct marketing is absolute, Art. 21(3)).
    pub fn allows_marketing(self) -> bool {
        self.marketing && !self.limits_processing()
    }
}

/// The person's preferences; defaults when they never chose anything.
pub async fn get(db: &Db, user_id: &str) -> Result<Preferences, sqlx::Error> {
    let mut conn = db.pool().acquire().await?;
    read_in(&mut conn, user_id).await
}

/// Whether analytics, marketing and profiling must stop for `user_id`. When the answer
/// cannot be read, they stop too: doing less is the safe side of a privacy choice.
pub async fn limits_processing(db: &Db, user_id: &str) -> bool {
    match get(db, user_id).await {
        Ok(preferences) => preferences.limits_processing(),
        Err(e) => {
            tracing::warn!(error = %e, "could not read privacy preferences; limiting processing");
            true
        }
    }
}

/// Restricts processing (Art. 18) or lifts the restriction. Returns the preferences now in
/// force; a change is audited, repeating the current choice changes nothing.
pub async fn set_restricted(
    state: &AppState,
    user_id: &str,
    restricted: bool,
    now_ms: i64,
) -> Result<Preferences, sqlx::Error> {
    set_flag(state, user_id, Flag::Restricted, restricted, None, now_ms).await
}

/// Records an objection to processing on legitimate interest (Art. 21) or withdraws it.
pub async fn set_objected(
    state: &AppState,
    user_id: &str,
    objected: bool,
    now_ms: i64,
) -> Result<Preferences, sqlx::Error> {
    set_flag(state, user_id, Flag::Objected, objected, None, now_ms).await
}

/// Turns marketing email on or off. `source` says where the choice was made (`settings`,
/// `unsubscribe`, `sign-up`…) and goes into the audit entry as the proof of consent.
pub async fn set_marketing(
    state: &AppState,
    user_id: &str,
    subscribed: bool,
    source: &str,
    now_ms: i64,
) -> Result<Preferences, sqlx::Error> {
    set_flag(
        state,
        user_id,
        Flag::Marketing,
        subscribed,
        Some(source),
        now_ms,
    )
    .await
}

#[derive(Clone, Copy)]
enum Flag {
    Restricted,
    Objected,
    Marketing,
}

impl Flag {
    fn action(self) -> &'static str {
        match self {
            Flag::Restricted => "privacy.restriction_changed",
            Flag::Objected => "privacy.objection_changed",
            Flag::Marketing => "privacy.marketing_changed",
        }
    }

    fn read(self, preferences: Preferences) -> bool {
        match self {
            Flag::Restricted => preferences.restricted,
            Flag::Objected => preferences.objected,
            Flag::Marketing => preferences.marketing,
        }
    }

    /// The statement that sets the flag, with `$1` the person, `$2` now. Turning a flag on
    /// keeps the time it was first turned on; marketing also remembers when it was last
    /// turned off.
    fn sql(self, on: bool) -> &'static str {
        match (self, on) {
            (Flag::Restricted, true) => {
                "INSERT INTO privacy_preferences (user_id, restricted_at, updated_at) \
                 VALUES ($1, $2, $2) ON CONFLICT (user_id) DO UPDATE SET \
                 restricted_at = COALESCE(privacy_preferences.restricted_at, excluded.restricted_at), \
                 updated_at = excluded.updated_at"
            }
            (Flag::Restricted, false) => {
                "INSERT INTO privacy_preferences (user_id, updated_at) VALUES ($1, $2) \
                 ON CONFLICT (user_id) DO UPDATE SET restricted_at = NULL, \
                 updated_at = excluded.updated_at"
            }
            (Flag::Objected, true) => {
                "INSERT INTO privacy_preferences (user_id, objected_at, updated_at) \
                 VALUES ($1, $2, $2) ON CONFLICT (user_id) DO UPDATE SET \
                 objected_at = COALESCE(privacy_preferences.objected_at, excluded.objected_at), \
                 updated_at = excluded.updated_at"
            }
            (Flag::Objected, false) => {
                "INSERT INTO privacy_preferences (user_id, updated_at) VALUES ($1, $2) \
                 ON CONFLICT (user_id) DO UPDATE SET objected_at = NULL, \
                 updated_at = excluded.updated_at"
            }
            (Flag::Marketing, true) => {
                "INSERT INTO privacy_preferences (user_id, marketing_opt_in_at, updated_at) \
                 VALUES ($1, $2, $2) ON CONFLICT (user_id) DO UPDATE SET \
                 marketing_opt_in_at = COALESCE(privacy_preferences.marketing_opt_in_at, \
                 excluded.marketing_opt_in_at), updated_at = excluded.updated_at"
            }
            (Flag::Marketing, false) => {
                "INSERT INTO privacy_preferences (user_id, marketing_opt_out_at, updated_at) \
                 VALUES ($1, $2, $2) ON CONFLICT (user_id) DO UPDATE SET \
                 marketing_opt_in_at = NULL, \
                 marketing_opt_out_at = CASE WHEN privacy_preferences.marketing_opt_in_at IS NULL \
                 THEN privacy_preferences.marketing_opt_out_at ELSE excluded.marketing_opt_out_at END, \
                 updated_at = excluded.updated_at"
            }
        }
    }
}

/// Sets one flag in a write transaction, with an audit entry when it changed.
async fn set_flag(
    state: &AppState,
    user_id: &str,
    flag: Flag,
    on: bool,
    source: Option<&str>,
    now_ms: i64,
) -> Result<Preferences, sqlx::Error> {
    let mut tx = state.db.begin_write().await?;
    let before = read_in(tx.conn(), user_id).await?;
    if flag.read(before) == on {
        // Nothing to change, nothing to audit: repeating a choice (a second unsubscribe
        // click) leaves no trace.
        return Ok(before);
    }
    sqlx::query(flag.sql(on))
        .bind(user_id)
        .bind(now_ms)
        .execute(tx.conn())
        .await?;
    let mut detail = serde_json::json!({ "on": on });
    if let Some(source) = source {
        detail["source"] = source.into();
    }
    crate::audit::record(
        tx.conn(),
        Some(user_id),
        Some(user_id),
        flag.action(),
        detail,
        None,
    )
    .await?;
    let after = read_in(tx.conn(), user_id).await?;
    tx.commit().await?;
    Ok(after)
}

async fn read_in(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
) -> Result<Preferences, sqlx::Error> {
    let row = sqlx::query(
        "SELECT restricted_at, objected_at, marketing_opt_in_at FROM privacy_preferences \
         WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(match row {
        Some(row) => Preferences {
            restricted: row.get::<Option<i64>, _>(0).is_some(),
            objected: row.get::<Option<i64>, _>(1).is_some(),
            marketing: row.get::<Option<i64>, _>(2).is_some(),
        },
        None => Preferences::default(),
    })
}
