//! The purge that completes a deletion once the account data's retention has passed:
//! payment and credit records stay under a pseudonym, everything else naming the person goes.

use super::{contains, content::retry_file_deletions};
use crate::{AppState, db::Backend, privacy::pseudonym, ratelimit};
use serde_json::json;
use sqlx::AnyConnection;

/// Accounts one run of [`purge_due`] handles at most; the next run takes the rest.
const PURGE_BATCH: i64 = 200;

/// Purges every deleted account whose [`purge_delay`](super::purge_delay) has passed: the payment and credit
/// records kept for tax law move to the person's [`pseudonym`], billing contact details
/// go, and everything else that names the person is deleted or pseudonymized before the
/// account row itself is deleted. One transaction per person; safe when several
/// instances run it at once (each person is purged by exactly one, and counted once).
/// Returns how many accounts were purged (`dry_run`: how many are due).
pub async fn purge_due(state: &AppState, now_ms: i64, dry_run: bool) -> Result<u64, sqlx::Error> {
    if dry_run {
        let due: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM users WHERE deleted_at IS NOT NULL AND purge_after <= $1",
        )
        .bind(now_ms)
        .fetch_one(state.db.pool())
        .await?;
        return Ok(due as u64);
    }
    // Files a deletion could not remove at once get another chance first.
    retry_file_deletions(state, false).await?;
    let mut purged = 0;
    loop {
        let due: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM users WHERE deleted_at IS NOT NULL AND purge_after <= $1 \
             ORDER BY purge_after, id LIMIT $2",
        )
        .bind(now_ms)
        .bind(PURGE_BATCH)
        .fetch_all(state.db.pool())
        .await?;
        if due.is_empty() {
            break;
        }
        let mut progressed = false;
        for user_id in &due {
            if purge_one(state, user_id, now_ms).await? {
                purged += 1;
                progressed = true;
            }
        }
        // Another instance took this batch: what is left is theirs.
        if !progressed || (due.len() as i64) < PURGE_BATCH {
            break;
        }
    }
    Ok(purged)
}

/// Purges one account in one transaction. False when it was not (or no longer) due.
async fn purge_one(state: &AppState, user_id: &str, now_ms: i64) -> Result<bool, sqlx::Error> {
    let backend = state.db.backend();
    let alias = pseudonym(state, user_id);
    let mut tx = state.db.begin_write().await?;
    let conn = tx.conn();
    // PostgreSQL: the row lock makes a second instance wait, then find the row gone.
    // SQLite: the write transaction already runs alone.
    let lock = match backend {
        Backend::Postgres => {
            "SELECT email, display_name FROM users WHERE id = $1 AND deleted_at IS NOT NULL \
             AND purge_after <= $2 FOR UPDATE"
        }
        Backend::Sqlite => {
            "SELECT email, display_name FROM users WHERE id = $1 AND deleted_at IS NOT NULL \
             AND purge_after <= $2"
        }
    };
    let Some((email, name)): Option<(String, String)> = sqlx::query_as(lock)
        .bind(user_id)
        .bind(now_ms)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(false);
    };

    let person = Person {
        user_id,
        alias: &alias,
        email: &email,
        name: &name,
    };
    keep_payment_records(conn, backend, &person).await?;
    pseudonymize_audit_and_requests(conn, backend, &person).await?;
    delete_traces(conn, backend, &person).await?;
    let deleted = sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    crate::audit::record(
        &mut *conn,
        None,
        Some(&alias),
        "account.purged",
        json!({ "pseudonym": alias }),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(deleted == 1)
}

/// Who is being purged: their id, the pseudonym that replaces it, and the address and
/// display name that are blanked out where they were written down.
#[derive(Clone, Copy)]
struct Person<'a> {
    user_id: &'a str,
    alias: &'a str,
    email: &'a str,
    name: &'a str,
}

/// Moves the records tax law keeps (payments, credits, referrals, disputes) to the
/// pseudonym.
async fn keep_payment_records(
    conn: &mut AnyConnection,
    backend: Backend,
    person: &Person<'_>,
) -> Result<(), sqlx::Error> {
    let Person {
        user_id,
        alias,
        email,
        name,
    } = *person;
    // Payment and credit records stay, under the pseudonym; so do the referrals they cite
    // and what the person did as staff (dispute notes written, moderation reviewed).
    for (table, column) in [
        ("credit_accounts", "user_id"),
        ("credit_lots", "user_id"),
        ("credit_reservations", "user_id"),
        ("ledger_entries", "user_id"),
        ("orders", "user_id"),
        ("subscriptions", "user_id"),
        ("signup_bonus_claims", "user_id"),
        ("referrals", "referred_user_id"),
        ("referrals", "referrer_user_id"),
        ("dispute_notes", "author_id"),
        ("moderation_flags", "reviewed_by"),
    ] {
        sqlx::query(&format!(
            "UPDATE {table} SET {column} = $2 WHERE {column} = $1"
        ))
        .bind(user_id)
        .bind(alias)
        .execute(&mut *conn)
        .await?;
    }
    // Ledger keys and memos name the person in some causes (`signup-bonus:<id>`), also in
    // other people's entries (`referral:<id>:referrer`).
    sqlx::query(&format!(
        "UPDATE ledger_entries SET idempotency_key = REPLACE(idempotency_key, $1, $2), \
         memo = REPLACE(memo, $1, $2) WHERE {} OR {}",
        contains(backend, "idempotency_key", 1),
        contains(backend, "memo", 1)
    ))
    .bind(user_id)
    .bind(alias)
    .execute(&mut *conn)
    .await?;
    // Notes on the person's disputes are part of the payment record; who they name is not.
    let notes = scrub_expression("body", name);
    sqlx::query(&format!(
        "UPDATE dispute_notes SET body = {notes} WHERE dispute_id IN \
         (SELECT d.id FROM disputes d JOIN orders o ON o.id = d.order_id WHERE o.user_id = $2)"
    ))
    .bind(user_id)
    .bind(alias)
    .bind(email)
    .bind(name)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Keeps the audit trail and answered rights requests under the pseudonym, without the
/// person's addresses, words or name.
async fn pseudonymize_audit_and_requests(
    conn: &mut AnyConnection,
    backend: Backend,
    person: &Person<'_>,
) -> Result<(), sqlx::Error> {
    let Person {
        user_id,
        alias,
        email,
        name,
    } = *person;
    // The audit trail keeps what happened and when, under the pseudonym; the person's
    // addresses go.
    sqlx::query(
        "UPDATE audit_log SET \
         ip = CASE WHEN actor_id = $1 OR actor_id IS NULL THEN NULL ELSE ip END, \
         actor_id = CASE WHEN actor_id = $1 THEN $2 ELSE actor_id END, \
         subject_id = CASE WHEN subject_id = $1 THEN $2 ELSE subject_id END \
         WHERE actor_id = $1 OR subject_id = $1",
    )
    .bind(user_id)
    .bind(alias)
    .execute(&mut *conn)
    .await?;
    sqlx::query(&format!(
        "UPDATE audit_log SET detail = REPLACE(detail, $1, $2) WHERE {}",
        contains(backend, "detail", 1)
    ))
    .bind(user_id)
    .bind(alias)
    .execute(&mut *conn)
    .await?;

    // Rights requests stay as the record that they were answered, without who asked or
    // what they wrote.
    let resolution = scrub_expression("resolution", name);
    let reason = scrub_expression("extension_reason", name);
    sqlx::query(&format!(
        "UPDATE privacy_requests SET user_id = $2, email = '', details = '', \
         verify_token_hash = NULL, resolution = {resolution}, extension_reason = {reason} \
         WHERE user_id = $1 OR email = $3"
    ))
    .bind(user_id)
    .bind(alias)
    .bind(email)
    .bind(name)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Deletes everything else that names the person.
async fn delete_traces(
    conn: &mut AnyConnection,
    backend: Backend,
    person: &Person<'_>,
) -> Result<(), sqlx::Error> {
    let Person { user_id, email, .. } = *person;
    let account_key = ratelimit::account_key("", email);
    sqlx::query(&format!(
        "DELETE FROM rate_limits WHERE {} OR key LIKE '%' || $2",
        contains(backend, "key", 1)
    ))
    .bind(user_id)
    .bind(account_key)
    .execute(&mut *conn)
    .await?;
    sqlx::query(&format!(
        "DELETE FROM email_outbox WHERE to_address = $2 OR {}",
        contains(backend, "idempotency_key", 1)
    ))
    .bind(user_id)
    .bind(email)
    .execute(&mut *conn)
    .await?;
    // Sessions that only mention the person (a form that kept the typed address).
    sqlx::query(&format!(
        "DELETE FROM sessions WHERE user_id = $1 OR {} OR {}",
        contains(backend, "data", 1),
        contains(backend, "data", 2)
    ))
    .bind(user_id)
    .bind(email)
    .execute(&mut *conn)
    .await?;
    for sql in [
        "DELETE FROM billing_customers WHERE user_id = $1",
        "DELETE FROM billing_profiles WHERE user_id = $1",
        "DELETE FROM referral_codes WHERE user_id = $1",
        "DELETE FROM consent_records WHERE user_id = $1",
        "DELETE FROM analytics_events WHERE user_id = $1",
        "DELETE FROM policy_notices WHERE user_id = $1",
        "DELETE FROM breach_notices WHERE user_id = $1",
        "DELETE FROM moderation_flags WHERE user_id = $1",
        "DELETE FROM guests WHERE migrated_to = $1",
    ] {
        sqlx::query(sql).bind(user_id).execute(&mut *conn).await?;
    }
    Ok(())
}

/// `column` with the person's id (`$1`) replaced by the pseudonym (`$2`) and their address
/// (`$3`) and display name (`$4`) blanked out. A name shorter than three characters is left
/// alone: replacing it would mangle ordinary words.
fn scrub_expression(column: &str, name: &str) -> String {
    let base = format!("REPLACE(REPLACE({column}, $1, $2), $3, '[removed]')");
    if name.chars().count() >= 3 {
        format!("REPLACE({base}, $4, '[removed]')")
    } else {
        // Keep `$4` in the statement so every variant binds the same parameters.
        format!("CASE WHEN $4 = '' THEN {base} ELSE {base} END")
    }
}
