//! Versions of the legal documents. The running code names each document's current version;
//! at start-up the server publishes it (a snapshot of the rendered text in every language),
//! so `/legal/<doc>/versions` can show every version exactly as it read. A version marked
//! material is announced: an in-product notice, a service email to every person (sent even
//! to those who opted out of marketing), and for the terms a new acceptance at next sign-in.

pub use crate::registry::documents::{
    CURRENT, Doc, Version, consent_version, current, day_start_ms,
};
use crate::{AppState, db::Db, email::Message};

/// A version as published.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct PublishedVersion {
    pub version: String,
    pub effective_at: i64,
    pub material: bool,
    pub published_at: i64,
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    version: String,
    effective_at: i64,
    material: i64,
    published_at: i64,
}

impl From<VersionRow> for PublishedVersion {
    fn from(row: VersionRow) -> Self {
        PublishedVersion {
            version: row.version,
            effective_at: row.effective_at,
            material: row.material != 0,
            published_at: row.published_at,
        }
    }
}

/// Every published version of `doc`, newest first.
pub async fn versions(db: &Db, doc: Doc) -> Result<Vec<PublishedVersion>, sqlx::Error> {
    let rows: Vec<VersionRow> = sqlx::query_as(
        "SELECT version, MIN(effective_at) AS effective_at, MAX(material) AS material, \
         MIN(published_at) AS published_at FROM policy_versions WHERE doc = $1 \
         GROUP BY version ORDER BY version DESC",
    )
    .bind(doc.id())
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(PublishedVersion::from).collect())
}

/// The rendered text of a published version in `locale`, or in English when that language
/// was not published.
pub async fn snapshot(
    db: &Db,
    doc: Doc,
    version: &str,
    locale: &str,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT snapshot FROM policy_versions WHERE doc = $1 AND version = $2 \
         AND locale IN ($3, 'en') ORDER BY CASE WHEN locale = $3 THEN 0 ELSE 1 END LIMIT 1",
    )
    .bind(doc.id())
    .bind(version.to_owned())
    .bind(locale.to_owned())
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|(s,)| s))
}

/// Publishes a version: one snapshot per language. Idempotent and safe on several instances
/// at once; returns whether this call published it (the English snapshot was new).
pub async fn publish(
    state: &AppState,
    doc: Doc,
    version: &str,
    effective_at: i64,
    material: bool,
    snapshots: &[(String, String)],
    now_ms: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = state.db.begin_write().await?;
    let mut published = false;
    for (locale, snapshot) in snapshots {
        let inserted = sqlx::query(
            "INSERT INTO policy_versions \
             (doc, version, locale, effective_at, material, snapshot, published_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (doc, version, locale) DO NOTHING",
        )
        .bind(doc.id())
        .bind(version.to_owned())
        .bind(locale.clone())
        .bind(effective_at)
        .bind(material as i64)
        .bind(snapshot.clone())
        .bind(now_ms)
        .execute(tx.conn())
        .await?
        .rows_affected();
        if locale == "en" && inserted == 1 {
            published = true;
        } else if locale == "en" {
            // The archive keeps a version as first published. Text that differs now (the
            // registry or the configuration changed) needs a new version to be archived.
            let stored: Option<(String,)> = sqlx::query_as(
                "SELECT snapshot FROM policy_versions WHERE doc = $1 AND version = $2 \
                 AND locale = 'en'",
            )
            .bind(doc.id())
            .bind(version.to_owned())
            .fetch_optional(tx.conn())
            .await?;
            if stored.is_some_and(|(stored,)| &stored != snapshot) {
                tracing::warn!(
                    doc = doc.id(),
                    version,
                    "the document now reads differently from its published version; \
                     publish a new version so the archive shows what people read"
                );
            }
        }
    }
    if published {
        crate::audit::record(
            tx.conn(),
            None,
            None,
            "policy.published",
            serde_json::json!({ "doc": doc.id(), "version": version, "material": material }),
            None,
        )
        .await?;
    }
    tx.commit().await?;
    if published {
        tracing::info!(
            doc = doc.id(),
            version,
            material,
            "published a policy version"
        );
    }
    Ok(published)
}

/// How long after publication a material change is announced in the product and by email
/// to people who had not been told yet.
pub const NOTICE_WINDOW_MS: i64 = 90 * 24 * 60 * 60 * 1000;

/// A material change the person has not acknowledged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyNotice {
    pub doc: Doc,
    pub version: String,
    pub effective_at: i64,
}

impl PolicyNotice {
    /// What `users.policy_notice_seen` holds once the person dismissed it.
    pub fn key(&self) -> String {
        format!("{}:{}", self.doc.id(), self.version)
    }
}

/// Material versions published within the notice window, newest first.
async fn recent_material(db: &Db, now_ms: i64) -> Result<Vec<PolicyNotice>, sqlx::Error> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT doc, version, MIN(effective_at) FROM policy_versions \
         WHERE material = 1 AND published_at > $1 \
         GROUP BY doc, version ORDER BY MIN(published_at) DESC, version DESC",
    )
    .bind(now_ms - NOTICE_WINDOW_MS)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(doc, version, effective_at)| {
            Some(PolicyNotice {
                doc: Doc::parse(&doc)?,
                version,
                effective_at,
            })
        })
        .collect())
}

/// The material change to show `user_id` in the product, if any: the newest one published
/// within the window after the person's account was created, unless dismissed.
pub async fn pending_notice(
    db: &Db,
    user_id: &str,
    now_ms: i64,
) -> Result<Option<PolicyNotice>, sqlx::Error> {
    let Some(newest) = recent_material(db, now_ms).await?.into_iter().next() else {
        return Ok(None);
    };
    let row: Option<(Option<String>, i64)> =
        sqlx::query_as("SELECT policy_notice_seen, created_at FROM users WHERE id = $1")
            .bind(user_id.to_owned())
            .fetch_optional(db.pool())
            .await?;
    let Some((seen, created_at)) = row else {
        return Ok(None);
    };
    let published_at: Option<(i64,)> = sqlx::query_as(
        "SELECT MIN(published_at) FROM policy_versions WHERE doc = $1 AND version = $2",
    )
    .bind(newest.doc.id())
    .bind(newest.version.clone())
    .fetch_optional(db.pool())
    .await?;
    // People who signed up after it was published read it when they did.
    if published_at.is_some_and(|(at,)| created_at > at) {
        return Ok(None);
    }
    Ok((seen.as_deref() != Some(newest.key().as_str())).then_some(newest))
}

/// Records that the person has seen the notice `key` (from [`PolicyNotice::key`]).
pub async fn dismiss_notice(db: &Db, user_id: &str, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET policy_notice_seen = $1 WHERE id = $2")
        .bind(key.to_owned())
        .bind(user_id.to_owned())
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Emails every person not yet told about each material version published within the
/// window: a service notice, sent whatever their marketing choice. Resumable: a person is
/// recorded in `policy_notices` before the send and the record is taken back when the send
/// fails, so a crash or an error means a later run tries again; several instances never
/// send one person the same notice twice. Returns how many emails were sent.
pub async fn send_material_notices(state: &AppState, now_ms: i64) -> Result<u64, sqlx::Error> {
    let mut sent = 0;
    for notice in recent_material(&state.db, now_ms).await? {
        loop {
            let batch: Vec<(String, String, String, String)> = sqlx::query_as(
                "SELECT u.id, u.email, u.display_name, u.locale FROM users u \
                 WHERE u.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM policy_notices n \
                 WHERE n.doc = $1 AND n.version = $2 AND n.user_id = u.id) \
                 ORDER BY u.id LIMIT 200",
            )
            .bind(notice.doc.id())
            .bind(notice.version.clone())
            .fetch_all(state.db.pool())
            .await?;
            if batch.is_empty() {
                break;
            }
            for (user_id, email, name, locale) in batch {
                let claimed = sqlx::query(
                    "INSERT INTO policy_notices (doc, version, user_id, sent_at) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (doc, version, user_id) DO NOTHING",
                )
                .bind(notice.doc.id())
                .bind(notice.version.clone())
                .bind(user_id.clone())
                .bind(now_ms)
                .execute(state.db.pool())
                .await?
                .rows_affected();
                if claimed == 0 {
                    continue;
                }
                let message = Message::PolicyUpdated {
                    name,
                    doc: notice.doc.id().to_string(),
                    version: notice.version.clone(),
                    link: format!("{}{}", state.config.public_url, notice.doc.path()),
                };
                let key = format!("policy:{}:{}:{user_id}", notice.doc.id(), notice.version);
                if let Err(e) = state
                    .mailer
                    .send_message(&email, &message, &locale, &key)
                    .await
                {
                    tracing::warn!(error = %e, doc = notice.doc.id(), "policy notice not sent; will retry");
                    sqlx::query(
                        "DELETE FROM policy_notices WHERE doc = $1 AND version = $2 AND user_id = $3",
                    )
                    .bind(notice.doc.id())
                    .bind(notice.version.clone())
                    .bind(user_id)
                    .execute(state.db.pool())
                    .await?;
                    // Stop this round; the next run picks up where this one ended.
                    return Ok(sent);
                }
                sent += 1;
            }
        }
    }
    Ok(sent)
}

/// Whether a person who accepted the terms `accepted` must accept them again: a material
/// version of the terms newer than theirs has been published.
pub async fn terms_acceptance_due(db: &Db, accepted: &str) -> Result<bool, sqlx::Error> {
    let newer: Option<(String,)> = sqlx::query_as(
        "SELECT version FROM policy_versions WHERE doc = 'terms' AND material = 1 \
         AND version > $1 LIMIT 1",
    )
    .bind(accepted.to_owned())
    .fetch_optional(db.pool())
    .await?;
    Ok(newer.is_some())
}

/// Whether the person `user_id` must accept the terms again (see [`terms_acceptance_due`]).
pub async fn terms_due_for(db: &Db, user_id: &str) -> Result<bool, sqlx::Error> {
    let accepted: Option<(String,)> =
        sqlx::query_as("SELECT terms_version FROM users WHERE id = $1")
            .bind(user_id.to_owned())
            .fetch_optional(db.pool())
            .await?;
    match accepted {
        Some((version,)) => terms_acceptance_due(db, &version).await,
        None => Ok(false),
    }
}

/// The newest published version of the terms (the code's current one when nothing was
/// published yet).
pub async fn latest_terms(db: &Db) -> Result<String, sqlx::Error> {
    let newest: Option<(Option<String>,)> =
        sqlx::query_as("SELECT MAX(version) FROM policy_versions WHERE doc = 'terms'")
            .fetch_optional(db.pool())
            .await?;
    Ok(newest
        .and_then(|(v,)| v)
        .unwrap_or_else(|| current(Doc::Terms).version.to_string()))
}

/// Records that the person accepted the newest terms.
pub async fn accept_terms(
    state: &AppState,
    user_id: &str,
    now_ms: i64,
    ip: Option<&str>,
) -> Result<String, sqlx::Error> {
    let version = latest_terms(&state.db).await?;
    let mut tx = state.db.begin_write().await?;
    sqlx::query("UPDATE users SET terms_version = $1, terms_accepted_at = $2 WHERE id = $3")
        .bind(version.clone())
        .bind(now_ms)
        .bind(user_id.to_owned())
        .execute(tx.conn())
        .await?;
    crate::audit::record(
        tx.conn(),
        Some(user_id),
        Some(user_id),
        "terms.accepted",
        serde_json::json!({ "terms_version": version }),
        ip,
    )
    .await?;
    tx.commit().await?;
    Ok(version)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        db::Db,
        testing::{insert_user, state_for},
    };

    async fn publish_terms(state: &AppState, version: &str, material: bool, now: i64) -> bool {
        let snapshots = vec![
            ("en".to_string(), format!("{{\"v\":\"{version}\"}}")),
            ("zh-CN".to_string(), format!("{{\"v\":\"{version}-zh\"}}")),
        ];
        publish(
            state,
            Doc::Terms,
            version,
            day_start_ms(version).unwrap(),
            material,
            &snapshots,
            now,
        )
        .await
        .unwrap()
    }

    async fn archive_keeps_every_version(db: Db) {
        let (state, _dir) = state_for(db);
        let now = crate::now_ms();
        assert!(publish_terms(&state, "2026-11-22", false, now).await);
        // Publishing again (a restart, a second instance) changes nothing.
        assert!(!publish_terms(&state, "2026-11-22", false, now + 1).await);
        assert!(publish_terms(&state, "2027-01-10", true, now + 2).await);
        let listed = versions(&state.db, Doc::Terms).await.unwrap();
        let names: Vec<_> = listed.iter().map(|v| v.version.as_str()).collect();
        assert_eq!(names, ["2027-01-10", "2026-11-22"]);
        assert!(listed[0].material && !listed[1].material);
        assert_eq!(listed[1].published_at, now);
        let zh = snapshot(&state.db, Doc::Terms, "2026-11-22", "zh-CN")
            .await
            .unwrap();
        assert_eq!(zh.as_deref(), Some("{\"v\":\"2026-11-22-zh\"}"));
        // A language that was not published falls back to English.
        let fr = snapshot(&state.db, Doc::Terms, "2026-11-22", "fr")
            .await
            .unwrap();
        assert_eq!(fr.as_deref(), Some("{\"v\":\"2026-11-22\"}"));
        assert!(
            snapshot(&state.db, Doc::Privacy, "2026-11-22", "en")
                .await
                .unwrap()
                .is_none()
        );
    }

    testkit::db_test!(archive_keeps_every_version_on, |db: Db| {
        archive_keeps_every_version(db)
    });

    async fn material_change_is_announced_once(db: Db) {
        let (state, _dir) = state_for(db);
        // Publications come after the accounts were created.
        let now = crate::now_ms() + 60_000;
        let alice = insert_user(&state.db, "alice@example.com").await;
        let bob = insert_user(&state.db, "bob@example.com").await;
        // Bob opted out of marketing: a policy notice is a service message all the same.
        sqlx::query(
            "INSERT INTO privacy_preferences (user_id, marketing_opt_out_at, updated_at) \
             VALUES ($1, $2, $2)",
        )
        .bind(&bob)
        .bind(now)
        .execute(state.db.pool())
        .await
        .unwrap();
        // A change that is not material is not announced.
        publish_terms(&state, "2026-11-22", false, now).await;
        assert_eq!(send_material_notices(&state, now).await.unwrap(), 0);
        assert!(
            pending_notice(&state.db, &alice, now)
                .await
                .unwrap()
                .is_none()
        );
        assert!(!terms_acceptance_due(&state.db, "2026-11-22").await.unwrap());

        publish_terms(&state, "2027-01-10", true, now + 10).await;
        assert_eq!(send_material_notices(&state, now + 20).await.unwrap(), 2);
        // Run again (another instance, a restart): nobody is told twice.
        assert_eq!(send_material_notices(&state, now + 30).await.unwrap(), 0);
        let mails: Vec<(String, String)> = sqlx::query_as(
            "SELECT to_address, kind FROM email_outbox WHERE kind = 'policy_updated' \
             ORDER BY to_address",
        )
        .fetch_all(state.db.pool())
        .await
        .unwrap();
        assert_eq!(
            mails,
            [
                (
                    "alice@example.com".to_string(),
                    "policy_updated".to_string()
                ),
                ("bob@example.com".to_string(), "policy_updated".to_string()),
            ]
        );
        // The in-product notice shows until dismissed.
        let notice = pending_notice(&state.db, &alice, now + 40)
            .await
            .unwrap()
            .expect("a notice");
        assert_eq!(
            (notice.doc, notice.version.as_str()),
            (Doc::Terms, "2027-01-10")
        );
        dismiss_notice(&state.db, &alice, &notice.key())
            .await
            .unwrap();
        assert!(
            pending_notice(&state.db, &alice, now + 50)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            pending_notice(&state.db, &bob, now + 50)
                .await
                .unwrap()
                .is_some()
        );
        // After the window it is no longer shown.
        assert!(
            pending_notice(&state.db, &bob, now + 10 + NOTICE_WINDOW_MS + 1)
                .await
                .unwrap()
                .is_none()
        );
        // Material terms are accepted again.
        assert!(terms_acceptance_due(&state.db, "2026-11-22").await.unwrap());
        let accepted = accept_terms(&state, &alice, now + 60, None).await.unwrap();
        assert_eq!(accepted, "2027-01-10");
        assert!(!terms_acceptance_due(&state.db, &accepted).await.unwrap());
    }

    testkit::db_test!(material_change_is_announced_once_on, |db: Db| {
        material_change_is_announced_once(db)
    });
}
