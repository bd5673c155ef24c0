//! What we keep about a paying customer: their id at each provider and the contact
//! details printed on receipts.

use super::super::BillingError;
use crate::db::Db;
use serde::Serialize;
use sqlx::{AnyConnection, Row};

pub(crate) async fn remember_customer(
    conn: &mut AnyConnection,
    user_id: &str,
    provider: &str,
    customer_id: &str,
) -> Result<(), BillingError> {
    sqlx::query(
        "INSERT INTO billing_customers (user_id, provider, customer_id) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id, provider) DO UPDATE SET customer_id = excluded.customer_id",
    )
    .bind(user_id)
    .bind(provider)
    .bind(customer_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// This person's customer id at a provider, for its billing portal.
pub async fn customer_id(
    db: &Db,
    user_id: &str,
    provider: &str,
) -> Result<Option<String>, BillingError> {
    Ok(sqlx::query_scalar(
        "SELECT customer_id FROM billing_customers WHERE user_id = $1 AND provider = $2",
    )
    .bind(user_id)
    .bind(provider)
    .fetch_optional(db.pool())
    .await?)
}

/// Contact details printed on receipts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BillingProfile {
    pub name: String,
    pub company: String,
    pub address: String,
    pub tax_id: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BillingProfileError {
    #[error("{0} is too long")]
    TooLong(&'static str),
}

impl BillingProfileError {
    pub fn message_key(&self) -> &'static str {
        "billing-profile-error-too-long"
    }
    pub fn field(&self) -> &'static str {
        match self {
            BillingProfileError::TooLong(f) => f,
        }
    }
}

pub async fn billing_profile(db: &Db, user_id: &str) -> Result<BillingProfile, BillingError> {
    let row = sqlx::query(
        "SELECT name, company, address, tax_id FROM billing_profiles WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(match row {
        Some(row) => BillingProfile {
            name: row.try_get("name")?,
            company: row.try_get("company")?,
            address: row.try_get("address")?,
            tax_id: row.try_get("tax_id")?,
        },
        None => BillingProfile::default(),
    })
}

impl BillingProfile {
    /// Trims every field and checks lengths (name and company 120, address 500, tax id 40).
    pub fn validated(self) -> Result<BillingProfile, BillingProfileError> {
        let clean = |s: String| s.trim().replace('\r', "");
        let profile = BillingProfile {
            name: clean(self.name),
            company: clean(self.company),
            address: clean(self.address),
            tax_id: clean(self.tax_id),
        };
        for (field, value, max) in [
            ("name", &profile.name, 120),
            ("company", &profile.company, 120),
            ("address", &profile.address, 500),
            ("tax_id", &profile.tax_id, 40),
        ] {
            if value.chars().count() > max {
                return Err(BillingProfileError::TooLong(field));
            }
        }
        Ok(profile)
    }
}

pub async fn save_billing_profile(
    db: &Db,
    user_id: &str,
    profile: &BillingProfile,
) -> Result<(), BillingError> {
    sqlx::query(
        "INSERT INTO billing_profiles (user_id, name, company, address, tax_id, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id) DO UPDATE SET \
         name = excluded.name, company = excluded.company, address = excluded.address, \
         tax_id = excluded.tax_id, updated_at = excluded.updated_at",
    )
    .bind(user_id)
    .bind(&profile.name)
    .bind(&profile.company)
    .bind(&profile.address)
    .bind(&profile.tax_id)
    .bind(crate::now_ms())
    .execute(db.pool())
    .await?;
    Ok(())
}
