//! The JSON documents of an export: a person's rows read as JSON from either database, and
//! each category's document with what the registry says about it.

use crate::{
    db::Db,
    registry::{DataCategory, LegalBasis, Purpose, Retention, rule},
};
use serde_json::{Map, Value, json};
use sqlx::{Row, any::AnyRow};
use std::time::Duration;

/// One row as a JSON object of its named columns.
pub(super) type Record = Map<String, Value>;

/// The kind of a column, to read it from either database into JSON.
#[derive(Clone, Copy)]
pub(super) enum Kind {
    Text,
    Int,
    /// A 0/1 flag, shown as true/false.
    Flag,
    /// JSON stored as text, shown as JSON.
    Json,
}

use Kind::{Flag, Int, Json, Text};

/// The named columns of `row` as a JSON object.
pub(super) fn object(
    row: &AnyRow,
    columns: &[(&str, Kind)],
) -> Result<Map<String, Value>, sqlx::Error> {
    let mut map = Map::new();
    for (name, kind) in columns {
        let value = match kind {
            Text => row.try_get::<Option<String>, _>(*name)?.map(Value::from),
            Int => row.try_get::<Option<i64>, _>(*name)?.map(Value::from),
            Flag => row
                .try_get::<Option<i64>, _>(*name)?
                .map(|v| Value::from(v != 0)),
            Json => row
                .try_get::<Option<String>, _>(*name)?
                .map(|text| serde_json::from_str(&text).unwrap_or(Value::String(text))),
        };
        map.insert((*name).to_string(), value.unwrap_or(Value::Null));
    }
    Ok(map)
}

/// Every row of `sql` (which takes the person's id as `$1`) as JSON objects.
pub(super) async fn records(
    db: &Db,
    sql: &str,
    user_id: &str,
    columns: &[(&str, Kind)],
) -> Result<Vec<Map<String, Value>>, sqlx::Error> {
    let rows = sqlx::query(sql).bind(user_id).fetch_all(db.pool()).await?;
    rows.iter().map(|row| object(row, columns)).collect()
}

fn purpose_id(purpose: Purpose) -> &'static str {
    match purpose {
        Purpose::ProvideService => "provide-service",
        Purpose::Billing => "billing",
        Purpose::Security => "security",
        Purpose::Improvement => "improvement",
        Purpose::Marketing => "marketing",
        Purpose::Compliance => "compliance",
        Purpose::Support => "support",
    }
}

fn legal_basis_id(basis: LegalBasis) -> &'static str {
    match basis {
        LegalBasis::Contract => "contract",
        LegalBasis::LegalObligation => "legal-obligation",
        LegalBasis::LegitimateInterest => "legitimate-interest",
        LegalBasis::Consent => "consent",
    }
}

fn retention_json(retention: Retention) -> Value {
    let days = |d: Duration| d.as_secs() / 86_400;
    match retention {
        Retention::WhileActiveThen(d) => {
            json!({ "rule": "while-account-exists-then", "days_after_deletion": days(d) })
        }
        Retention::For(d) => json!({ "rule": "for", "days": days(d) }),
        Retention::UnlessMigrated(d) => {
            json!({ "rule": "unless-moved-to-an-account", "days": days(d) })
        }
        Retention::ThenAnonymized(d) => json!({ "rule": "then-anonymized", "days": days(d) }),
        Retention::UntilWithdrawn => json!({ "rule": "until-withdrawn" }),
    }
}

/// One category's document: what the registry says about it, and the person's records.
pub(super) fn document(category: DataCategory, records: Value) -> (String, Vec<u8>) {
    let rule = rule(category);
    let mut bases: Vec<&str> = Vec::new();
    for purpose in rule.purposes {
        let basis = legal_basis_id(purpose.legal_basis());
        if !bases.contains(&basis) {
            bases.push(basis);
        }
    }
    let document = json!({
        "category": category.id(),
        "purposes": rule.purposes.iter().map(|p| json!({
            "purpose": purpose_id(*p),
            "legal_basis": legal_basis_id(p.legal_basis()),
        })).collect::<Vec<_>>(),
        "legal_bases": bases,
        "retention": retention_json(rule.retention),
        "records": records,
    });
    (
        format!("{}.json", category.id()),
        serde_json::to_vec_pretty(&document).expect("JSON values serialize"),
    )
}
