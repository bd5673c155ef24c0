//! What can be bought, from configuration only: a price a browser sends is never read.
//! The configured catalog's types live in `config::catalog`; here they become products.

use serde::{Deserialize, Serialize};

pub use crate::config::catalog::{
    Bonus, Catalog, CreditPackage, Interval, SubscriptionPlan, default_packages, default_plans,
};

/// The currencies prices are set in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Currency {
    Usd,
    Cny,
}

impl Currency {
    /// ISO 4217, lower-case (as Stripe writes it).
    pub fn code(self) -> &'static str {
        match self {
            Currency::Usd => "usd",
            Currency::Cny => "cny",
        }
    }

    pub fn parse(s: &str) -> Option<Currency> {
        match s.to_ascii_lowercase().as_str() {
            "usd" => Some(Currency::Usd),
            "cny" => Some(Currency::Cny),
            _ => None,
        }
    }

    /// Formats minor units: `$9.90`, `¥69.90`.
    pub fn format(self, minor: i64) -> String {
        let sign = if minor < 0 { "-" } else { "" };
        let minor = minor.abs();
        let symbol = match self {
            Currency::Usd => "$",
            Currency::Cny => "¥",
        };
        format!("{sign}{symbol}{}.{:02}", minor / 100, minor % 100)
    }
}

/// A priced product, as an order records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Product {
    Package(CreditPackage),
    Plan(SubscriptionPlan),
}

impl Product {
    pub fn id(&self) -> &str {
        match self {
            Product::Package(p) => &p.id,
            Product::Plan(p) => &p.id,
        }
    }

    pub fn credits(&self) -> i64 {
        match self {
            Product::Package(p) => p.credits,
            Product::Plan(p) => p.credits,
        }
    }

    pub fn price(&self, currency: Currency) -> i64 {
        let (usd, cny) = match self {
            Product::Package(p) => (p.usd, p.cny),
            Product::Plan(p) => (p.usd, p.cny),
        };
        match currency {
            Currency::Usd => usd,
            Currency::Cny => cny,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Product::Package(_) => "package",
            Product::Plan(_) => "subscription",
        }
    }

    pub fn creem_product_id(&self) -> Option<&str> {
        match self {
            Product::Package(p) => p.creem_product_id.as_deref(),
            Product::Plan(p) => p.creem_product_id.as_deref(),
        }
    }
}

impl Catalog {
    pub fn product(&self, id: &str) -> Option<Product> {
        if let Some(p) = self.packages.iter().find(|p| p.id == id) {
            return Some(Product::Package(p.clone()));
        }
        self.plans
            .iter()
            .find(|p| p.id == id)
            .map(|p| Product::Plan(p.clone()))
    }
}
