//! Wire types of the pricing, checkout and billing pages. Amounts of money arrive formatted
//! by the server (`$9.90`, `¥69.90`); credits are whole numbers; times are unix
//! milliseconds. Products are named by a Fluent key and their credits, so each page names
//! them in its own language.

use serde::{Deserialize, Serialize};

/// The Fluent key naming a product: a credit package or a monthly or yearly plan. Each
/// takes the product's credits as `$credits`.
pub fn product_key(kind: &str, interval: Option<&str>) -> &'static str {
    match (kind, interval) {
        ("subscription", Some("year")) => "billing-product-plan-year",
        ("subscription", _) => "billing-product-plan-month",
        _ => "billing-product-package",
    }
}

/// A one-time pack of credits as the pricing page offers it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PackageOffer {
    /// Goes into the checkout form as `product`.
    pub id: String,
    pub credits: i64,
    /// In the page's chosen currency.
    pub price: String,
    pub validity_days: i64,
    pub popular: bool,
}

/// A subscription plan as the pricing page offers it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanOffer {
    /// Goes into the checkout form as `product`.
    pub id: String,
    /// `month` or `year`.
    pub interval: String,
    /// Credits each period.
    pub credits: i64,
    pub price: String,
    pub popular: bool,
}

/// The pricing page: every product priced in one currency.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PricingView {
    /// `usd` or `cny`: the currency of every price here, and of the checkout forms.
    pub currency: String,
    pub packages: Vec<PackageOffer>,
    pub plans: Vec<PlanOffer>,
    pub signed_in: bool,
    /// This instance takes payments with the local test checkout: no money moves.
    pub test_checkout: bool,
    /// Credits given at sign-up (0: none), and how many days they last.
    pub signup_bonus: i64,
    pub signup_bonus_days: i64,
}

/// An order on the checkout pages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckoutOrderView {
    pub number: String,
    /// See [`product_key`].
    pub product_key: String,
    pub credits: i64,
    pub amount: String,
    /// `created` (awaiting payment), `paid`, `failed`, `cancelled`, `refunded`, `disputed`.
    pub status: String,
    /// `local`, `stripe` or `creem`.
    pub provider: String,
    /// The buyer's balance now (spendable credits minus debt).
    pub balance: i64,
}

/// What a person can spend.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BalanceView {
    pub available: i64,
    /// Held by running generations.
    pub held: i64,
    /// Held back while a payment dispute is open.
    pub frozen: i64,
    /// Owed after a refund or a lost dispute.
    pub debt: i64,
    /// `available - debt`: negative while in debt.
    pub total: i64,
}

/// Credits from one source that are not used up yet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LotView {
    /// `signup_bonus`, `purchase`, `subscription`, `referral`, `admin`.
    pub source: String,
    pub amount: i64,
    pub remaining: i64,
    pub expires_at: Option<i64>,
    pub frozen: bool,
    /// Expires within 30 days.
    pub expiring_soon: bool,
}

/// One line of the credit history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LedgerEntryView {
    /// `grant`, `reserve`, `capture`, `release`, `expire`, `claw_back`, `adjust`, `freeze`,
    /// `unfreeze`.
    pub kind: String,
    /// Credits added (positive) or taken (negative).
    pub delta: i64,
    pub balance_after: i64,
    /// The order behind the change, when it had one.
    pub order_number: Option<String>,
    pub created_at: i64,
}

/// An order in the person's list, and on a receipt.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderView {
    pub number: String,
    pub product_key: String,
    pub credits: i64,
    pub amount: String,
    pub status: String,
    pub created_at: i64,
    pub paid_at: Option<i64>,
}

/// A subscription of the person.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubscriptionView {
    /// Our own subscription id: the local checkout's cancel form posts to it.
    pub id: String,
    pub product_key: String,
    pub credits: i64,
    /// `active`, `trialing`, `past_due`, `paused`, `cancelled`, `ended`, …
    pub status: String,
    pub period_end: Option<i64>,
    pub cancel_at_period_end: bool,
    /// `local`, `stripe` or `creem`.
    pub provider: String,
}

/// Contact details printed on receipts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BillingProfileView {
    pub name: String,
    pub company: String,
    pub address: String,
    pub tax_id: String,
}

/// The person's referral link and what it brought.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReferralView {
    pub link: String,
    /// People who signed up through the link.
    pub referred: i64,
    /// Of those, the ones whose first payment earned the bonus.
    pub rewarded: i64,
    /// Credits for the person sharing the link, per rewarded referral.
    pub referrer_bonus: i64,
    /// Credits for the newcomer, at their first payment.
    pub referred_bonus: i64,
}

/// The billing settings page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BillingOverview {
    pub balance: BalanceView,
    /// Soonest-expiring first.
    pub lots: Vec<LotView>,
    /// Spendable credits that expire within 30 days.
    pub expiring_soon: i64,
    /// Newest first, one page.
    pub entries: Vec<LedgerEntryView>,
    /// The kind the history is filtered by, if any.
    pub kind: Option<String>,
    /// `?before=` for the next, older page of history; none when this is the last.
    pub older: Option<i64>,
    pub orders: Vec<OrderView>,
    pub subscriptions: Vec<SubscriptionView>,
    /// The provider's own portal manages this person's subscriptions and payment methods.
    pub manage_via_portal: bool,
    pub profile: BillingProfileView,
    pub referral: ReferralView,
}

/// A printable receipt for one order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReceiptView {
    pub order: OrderView,
    /// `package` or `subscription`.
    pub kind: String,
    /// Formatted, when part or all of the payment was refunded.
    pub refunded: Option<String>,
    pub refunded_at: Option<i64>,
    /// The period a subscription payment covers.
    pub period_start: Option<i64>,
    pub period_end: Option<i64>,
    pub provider: String,
    pub profile: BillingProfileView,
    pub email: String,
}

/// An admin's note on a dispute.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DisputeNoteView {
    /// The author's display name, when known.
    pub author: Option<String>,
    pub body: String,
    pub created_at: i64,
}

/// A payment dispute, for admins.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DisputeView {
    /// Goes into the note form's address.
    pub id: String,
    pub order_number: String,
    pub provider: String,
    /// `open`, `won` or `lost`.
    pub status: String,
    pub reason: String,
    pub amount: String,
    pub created_at: i64,
    pub closed_at: Option<i64>,
    pub notes: Vec<DisputeNoteView>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_are_named_by_kind_and_interval() {
        assert_eq!(product_key("package", None), "billing-product-package");
        assert_eq!(
            product_key("subscription", Some("month")),
            "billing-product-plan-month"
        );
        assert_eq!(
            product_key("subscription", Some("year")),
            "billing-product-plan-year"
        );
        // A plan no longer in the catalog still reads as a plan.
        assert_eq!(
            product_key("subscription", None),
            "billing-product-plan-month"
        );
    }
}
