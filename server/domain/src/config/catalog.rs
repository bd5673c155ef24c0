//! The billing catalog as configuration describes it: credit packages, subscription plans
//! and bonuses, their checks and the defaults a fresh installation sells.

use serde::{Deserialize, Serialize};

/// A one-time pack of credits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreditPackage {
    /// Stable id: in URLs, orders and provider metadata.
    pub id: String,
    pub credits: i64,
    /// Price in US cents.
    pub usd: i64,
    /// Price in fen (CNY minor units).
    pub cny: i64,
    /// The credits expire this many days after payment.
    pub validity_days: i64,
    /// Marked as the one most people choose.
    #[serde(default)]
    pub popular: bool,
    /// Creem's product for this package (required when Creem takes payments).
    #[serde(default)]
    pub creem_product_id: Option<String>,
}

/// How often a plan bills.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Interval {
    Month,
    Year,
}

impl Interval {
    pub fn as_str(self) -> &'static str {
        match self {
            Interval::Month => "month",
            Interval::Year => "year",
        }
    }
}

/// A subscription: credits each period, expiring at the period's end.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionPlan {
    pub id: String,
    pub interval: Interval,
    /// Credits granted each period.
    pub credits: i64,
    pub usd: i64,
    pub cny: i64,
    #[serde(default)]
    pub popular: bool,
    #[serde(default)]
    pub creem_product_id: Option<String>,
}

/// Free credits with a lifetime.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Bonus {
    pub credits: i64,
    pub validity_days: i64,
}

/// The whole catalog.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Catalog {
    pub packages: Vec<CreditPackage>,
    pub plans: Vec<SubscriptionPlan>,
    /// Given once per person at their first verified sign-up (0 credits: none).
    pub signup_bonus: Bonus,
    /// For the person whose link brought a new customer, at that customer's first payment.
    pub referrer_bonus: Bonus,
    /// For the new customer who came through a referral link, at their first payment.
    pub referred_bonus: Bonus,
}

impl Catalog {
    /// Checks ids, amounts and prices; returns one line per problem.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut ids = std::collections::HashSet::new();
        let valid_id = |id: &str| {
            !id.is_empty()
                && id.len() <= 40
                && id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        };
        let products = self
            .packages
            .iter()
            .map(|p| (&p.id, p.credits, p.usd, p.cny))
            .chain(self.plans.iter().map(|p| (&p.id, p.credits, p.usd, p.cny)));
        for (id, credits, usd, cny) in products {
            if !valid_id(id) {
                problems.push(format!(
                    "catalog id `{id}` must be 1-40 lower-case letters, digits or dashes"
                ));
            }
            if !ids.insert(id.clone()) {
                problems.push(format!("catalog id `{id}` is used twice"));
            }
            if credits <= 0 || usd <= 0 || cny <= 0 {
                problems.push(format!(
                    "catalog `{id}`: credits and prices must be positive"
                ));
            }
        }
        for p in &self.packages {
            if p.validity_days <= 0 {
                problems.push(format!(
                    "credit package `{}`: validity_days must be positive",
                    p.id
                ));
            }
        }
        for (name, bonus) in [
            ("signup_bonus", self.signup_bonus),
            ("referrer_bonus", self.referrer_bonus),
            ("referred_bonus", self.referred_bonus),
        ] {
            if bonus.credits < 0 || (bonus.credits > 0 && bonus.validity_days <= 0) {
                problems.push(format!(
                    "{name}: credits must not be negative and validity_days must be positive"
                ));
            }
        }
        problems
    }
}

/// The packages a fresh installation sells (development and demos).
pub fn default_packages() -> Vec<CreditPackage> {
    let package = |id: &str, credits, usd, cny, popular| CreditPackage {
        id: id.into(),
        credits,
        usd,
        cny,
        validity_days: 365,
        popular,
        creem_product_id: None,
    };
    vec![
        package("starter", 100, 990, 6990, false),
        package("creator", 500, 3990, 27990, true),
        package("studio", 1200, 7990, 55990, false),
    ]
}

/// The plans a fresh installation sells.
pub fn default_plans() -> Vec<SubscriptionPlan> {
    vec![
        SubscriptionPlan {
            id: "pro-monthly".into(),
            interval: Interval::Month,
            credits: 800,
            usd: 1990,
            cny: 13900,
            popular: true,
            creem_product_id: None,
        },
        SubscriptionPlan {
            id: "pro-yearly".into(),
            interval: Interval::Year,
            credits: 9600,
            usd: 19900,
            cny: 139000,
            popular: false,
            creem_product_id: None,
        },
    ]
}
