//! The one interface every payment provider implements, the local checkout, and the flows
//! that use them: starting a checkout and receiving a webhook.

use super::{
    Applied, BillingError, Catalog, Currency, Interval, Order, OrderRef, PaymentEvent, PeriodPaid,
    Product, SubscriptionChange, apply_event, creem::CreemGateway, stripe::StripeGateway,
};
use crate::AppState;
use crate::config::{Config, PaymentProviderKind};
use crate::db::Db;
use std::sync::Arc;

/// What a checkout needs to know.
pub struct CheckoutRequest<'a> {
    pub order: &'a Order,
    pub product: &'a Product,
    /// The product's localized name, as the provider's page shows it.
    pub product_name: &'a str,
    pub email: &'a str,
    pub locale: &'a str,
    /// The person's customer id at this provider, if they have one.
    pub customer_id: Option<&'a str>,
    pub success_url: &'a str,
    pub cancel_url: &'a str,
}

/// Where to send the person to pay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckoutStart {
    pub redirect_url: String,
    pub session_id: String,
}

/// A payment provider.
#[async_trait::async_trait]
pub trait PaymentGateway: Send + Sync {
    fn kind(&self) -> PaymentProviderKind;

    /// Creates the provider's checkout for an order.
    async fn start_checkout(
        &self,
        request: &CheckoutRequest<'_>,
    ) -> Result<CheckoutStart, BillingError>;

    /// A link to the provider's page where the person manages their subscription.
    async fn portal_url(&self, customer_id: &str, return_url: &str)
    -> Result<String, BillingError>;

    /// The header that carries the webhook signature.
    fn signature_header(&self) -> &'static str;

    /// Verifies a webhook delivery on its raw body and reads it: `(event id, type, event)`.
    fn read_webhook(
        &self,
        signature: Option<&str>,
        body: &[u8],
        now_ms: i64,
    ) -> Result<(String, String, PaymentEvent), BillingError>;
}

/// The local checkout: our own page where the developer chooses what the payment does. It
/// has no webhooks; its choices become the same events and go through [`apply_event`].
pub struct LocalGateway {
    public_url: String,
}

#[async_trait::async_trait]
impl PaymentGateway for LocalGateway {
    fn kind(&self) -> PaymentProviderKind {
        PaymentProviderKind::Local
    }
    async fn start_checkout(
        &self,
        request: &CheckoutRequest<'_>,
    ) -> Result<CheckoutStart, BillingError> {
        let prefix = if request.locale == "en" {
            String::new()
        } else {
            format!("/{}", request.locale)
        };
        Ok(CheckoutStart {
            redirect_url: format!(
                "{}{prefix}/checkout/local/{}",
                self.public_url, request.order.number
            ),
            session_id: format!("local_{}", request.order.id),
        })
    }
    async fn portal_url(
        &self,
        _customer_id: &str,
        _return_url: &str,
    ) -> Result<String, BillingError> {
        Err(BillingError::ProviderUnavailable)
    }
    fn signature_header(&self) -> &'static str {
        "x-local-signature"
    }
    fn read_webhook(
        &self,
        _signature: Option<&str>,
        _body: &[u8],
        _now_ms: i64,
    ) -> Result<(String, String, PaymentEvent), BillingError> {
        Err(BillingError::BadSignature)
    }
}

/// The providers of this instance: the one that takes checkouts, and every one configured
/// (whose webhooks are accepted).
#[derive(Clone)]
pub struct Payments {
    pub checkout: Arc<dyn PaymentGateway>,
    pub stripe: Option<Arc<StripeGateway>>,
    pub creem: Option<Arc<CreemGateway>>,
}

impl Payments {
    pub fn new(config: &Config, http: reqwest::Client) -> Payments {
        let billing = &config.billing;
        let stripe = billing
            .stripe
            .as_ref()
            .map(|c| Arc::new(StripeGateway::new(c)));
        let creem = billing
            .creem
            .as_ref()
            .map(|c| Arc::new(CreemGateway::new(c, http)));
        let local: Arc<dyn PaymentGateway> = Arc::new(LocalGateway {
            public_url: config.public_url.clone(),
        });
        let checkout: Arc<dyn PaymentGateway> = match billing.provider {
            PaymentProviderKind::Stripe => match &stripe {
                Some(s) => s.clone(),
                None => local,
            },
            PaymentProviderKind::Creem => match &creem {
                Some(c) => c.clone(),
                None => local,
            },
            PaymentProviderKind::Local => local,
        };
        Payments {
            checkout,
            stripe,
            creem,
        }
    }

    /// The provider whose webhooks arrive at `/webhooks/{name}`, when configured.
    pub fn webhook_gateway(&self, name: &str) -> Option<Arc<dyn PaymentGateway>> {
        match name {
            "stripe" => self.stripe.clone().map(|s| s as Arc<dyn PaymentGateway>),
            "creem" => self.creem.clone().map(|c| c as Arc<dyn PaymentGateway>),
            _ => None,
        }
    }
}

/// Who is buying.
pub struct Buyer<'a> {
    pub user_id: &'a str,
    pub email: &'a str,
    pub locale: &'a str,
}

/// Starts buying `product_id` in `currency`: creates the order at the catalog's price and
/// the provider's checkout. A price from the browser is never used.
pub async fn start_checkout(
    state: &AppState,
    buyer: &Buyer<'_>,
    product_id: &str,
    currency: Currency,
    product_name: &str,
) -> Result<(Order, CheckoutStart), BillingError> {
    let catalog = &state.config.billing.catalog;
    let product = catalog
        .product(product_id)
        .ok_or(BillingError::UnknownProduct)?;
    let gateway = state.payments.checkout.clone();
    let provider = gateway.kind().as_str();
    // Creem charges the price set on its own product, in US dollars: the order says so too.
    let currency = if gateway.kind() == PaymentProviderKind::Creem {
        Currency::Usd
    } else {
        currency
    };
    let order = super::create_order(
        &state.db,
        catalog,
        buyer.user_id,
        product_id,
        currency,
        provider,
    )
    .await?;
    let prefix = if buyer.locale == "en" {
        String::new()
    } else {
        format!("/{}", buyer.locale)
    };
    let base = &state.config.public_url;
    let mut success_url = format!("{base}{prefix}/checkout/success?order={}", order.number);
    if gateway.kind() == PaymentProviderKind::Stripe {
        success_url.push_str("&session_id={CHECKOUT_SESSION_ID}");
    }
    let cancel_url = format!("{base}{prefix}/checkout/cancel?order={}", order.number);
    let customer = super::customer_id(&state.db, buyer.user_id, provider).await?;
    let request = CheckoutRequest {
        order: &order,
        product: &product,
        product_name,
        email: buyer.email,
        locale: buyer.locale,
        customer_id: customer.as_deref(),
        success_url: &success_url,
        cancel_url: &cancel_url,
    };
    match gateway.start_checkout(&request).await {
        Ok(start) => {
            super::set_checkout_session(&state.db, &order.id, &start.session_id).await?;
            Ok((order, start))
        }
        Err(error) => {
            tracing::warn!(error = %error, order = %order.number, "checkout could not start");
            sqlx::query("UPDATE orders SET status = 'failed', updated_at = $2 WHERE id = $1")
                .bind(&order.id)
                .bind(crate::now_ms())
                .execute(state.db.pool())
                .await?;
            Err(error)
        }
    }
}

/// A link to manage this person's subscription at the provider that bills it.
pub async fn portal_url(
    state: &AppState,
    user_id: &str,
    return_url: &str,
) -> Result<String, BillingError> {
    let gateway = state.payments.checkout.clone();
    let customer = super::customer_id(&state.db, user_id, gateway.kind().as_str())
        .await?
        .ok_or(BillingError::ProviderUnavailable)?;
    gateway.portal_url(&customer, return_url).await
}

/// Verifies, reads and applies a webhook delivery for `/webhooks/{provider}`.
pub async fn receive_webhook(
    state: &AppState,
    provider: &str,
    signature: Option<&str>,
    body: &[u8],
) -> Result<Applied, BillingError> {
    let gateway = state
        .payments
        .webhook_gateway(provider)
        .ok_or(BillingError::ProviderUnavailable)?;
    let now = crate::now_ms();
    let (event_id, event_type, event) = gateway.read_webhook(signature, body, now)?;
    apply_event(
        &state.db,
        &state.config.billing.catalog,
        provider,
        &event_id,
        &event_type,
        &event,
        now,
    )
    .await
}

/// What the developer chose on the local checkout page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LocalOutcome {
    Pay,
    Fail,
    Cancel,
}

/// Completes a local checkout the way the chosen outcome would arrive from a real provider:
/// the same events through the same [`apply_event`].
pub async fn complete_local_checkout(
    db: &Db,
    catalog: &Catalog,
    order: &Order,
    outcome: LocalOutcome,
) -> Result<(), BillingError> {
    if order.provider != "local" {
        return Err(BillingError::UnknownOrder);
    }
    let now = crate::now_ms();
    let reference = OrderRef::Id(order.id.clone());
    let product = catalog.product(&order.product_id);
    let events: Vec<(&str, PaymentEvent)> = match (outcome, product) {
        (LocalOutcome::Pay, Some(Product::Plan(plan))) => {
            let subscription_id = format!("local_sub_{}", order.id);
            let period_end = match plan.interval {
                Interval::Month => add_months(now, 1),
                Interval::Year => add_months(now, 12),
            };
            vec![
                (
                    "checkout.completed",
                    PaymentEvent::SubscriptionStarted {
                        order: reference,
                        subscription_id: subscription_id.clone(),
                        customer_id: Some(format!("local_cus_{}", order.user_id)),
                    },
                ),
                (
                    "period.paid",
                    PaymentEvent::PeriodPaid(PeriodPaid {
                        invoice_id: format!("local_inv_{}", order.id),
                        subscription_id,
                        order_id: Some(order.id.clone()),
                        user_id: Some(order.user_id.clone()),
                        plan_id: Some(plan.id.clone()),
                        customer_id: Some(format!("local_cus_{}", order.user_id)),
                        period_start: now,
                        period_end,
                        amount: order.amount,
                        currency: order.currency.clone(),
                    }),
                ),
            ]
        }
        (LocalOutcome::Pay, Some(Product::Package(_))) => vec![(
            "checkout.completed",
            PaymentEvent::CheckoutPaid {
                order: reference,
                payment_id: Some(format!("local_pay_{}", order.id)),
                customer_id: Some(format!("local_cus_{}", order.user_id)),
            },
        )],
        (LocalOutcome::Pay, None) => return Err(BillingError::UnknownProduct),
        (LocalOutcome::Fail, _) => vec![(
            "payment.failed",
            PaymentEvent::CheckoutFailed { order: reference },
        )],
        (LocalOutcome::Cancel, _) => vec![(
            "checkout.expired",
            PaymentEvent::CheckoutExpired { order: reference },
        )],
    };
    for (event_type, event) in events {
        let event_id = format!("local_{}_{event_type}", order.id);
        apply_event(db, catalog, "local", &event_id, event_type, &event, now).await?;
    }
    Ok(())
}

/// Cancels a locally billed subscription at the end of its period (the local stand-in for
/// a provider's portal).
pub async fn cancel_local_subscription(
    db: &Db,
    catalog: &Catalog,
    user_id: &str,
    subscription_id: &str,
) -> Result<bool, BillingError> {
    let Some(subscription) = super::subscriptions_of(db, user_id)
        .await?
        .into_iter()
        .find(|s| s.id == subscription_id && s.provider == "local")
    else {
        return Ok(false);
    };
    let event = PaymentEvent::SubscriptionChanged(SubscriptionChange {
        subscription_id: subscription.provider_subscription_id.clone(),
        status: subscription.status.clone(),
        user_id: None,
        plan_id: None,
        customer_id: None,
        period_start: None,
        period_end: None,
        cancel_at_period_end: true,
    });
    let event_id = format!("local_{}_cancel", subscription.id);
    apply_event(
        db,
        catalog,
        "local",
        &event_id,
        "subscription.scheduled_cancel",
        &event,
        crate::now_ms(),
    )
    .await?;
    Ok(true)
}

/// `months` calendar months after `ms` (the day clamped to the month's last).
pub fn add_months(ms: i64, months: u32) -> i64 {
    let Ok(at) = time::OffsetDateTime::from_unix_timestamp(ms / 1000) else {
        return ms;
    };
    let total = at.month() as u32 - 1 + months;
    let year = at.year() + (total / 12) as i32;
    let month = time::Month::try_from((total % 12 + 1) as u8).unwrap_or(time::Month::January);
    let last = month.length(year);
    let day = at.day().min(last);
    let date = time::Date::from_calendar_date(year, month, day).unwrap_or(at.date());
    at.replace_date(date).unix_timestamp() * 1000 + ms % 1000
}
