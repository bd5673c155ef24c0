//! Stripe: Checkout Sessions and Customer Portal sessions through async-stripe; webhooks
//! verified on the raw body (`Stripe-Signature`, HMAC-SHA256 over `"{t}.{body}"`, 300 s
//! tolerance) and read field by field, so an account on a newer API version (invoice
//! subscription details under `parent`, periods on subscription items) reads the same.

use super::{
    BillingError, CheckoutRequest, CheckoutStart, Currency, DisputeFacts, OrderRef, PaymentEvent,
    PaymentGateway, PeriodPaid, Product, RefundAmount, SubscriptionChange, json_int as int,
    json_text as text,
};
use crate::config::{PaymentProviderKind, StripeConfig};
use hmac::{Hmac, Mac};
use secrecy::ExposeSecret;
use serde_json::Value;
use sha2::Sha256;
use stripe::{
    BillingPortalSession, CheckoutSession, CheckoutSessionLocale, CheckoutSessionMode, Client,
    CreateBillingPortalSession, CreateCheckoutSession, CreateCheckoutSessionLineItems,
    CreateCheckoutSessionLineItemsPriceData, CreateCheckoutSessionLineItemsPriceDataProductData,
    CreateCheckoutSessionLineItemsPriceDataRecurring,
    CreateCheckoutSessionLineItemsPriceDataRecurringInterval,
    CreateCheckoutSessionPaymentIntentData, CreateCheckoutSessionPaymentMethodOptions,
    CreateCheckoutSessionPaymentMethodOptionsWechatPay,
    CreateCheckoutSessionPaymentMethodOptionsWechatPayClient,
    CreateCheckoutSessionPaymentMethodTypes, CreateCheckoutSessionSubscriptionData, CustomerId,
    StripeError,
};

/// How old a signed webhook may be, either way, in seconds (Stripe's libraries' default).
pub const TOLERANCE_SECS: i64 = 300;

/// The header carrying the signature.
pub const SIGNATURE_HEADER: &str = "stripe-signature";

/// Checks a `Stripe-Signature` header against the raw body: the timestamp within
/// [`TOLERANCE_SECS`] of `now_secs`, and any `v1` signature equal (in constant time) to the
/// HMAC of `"{t}.{body}"` under the endpoint's secret.
pub fn verify_signature(
    header: &str,
    body: &[u8],
    secret: &str,
    now_secs: i64,
) -> Result<(), BillingError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", sig)) => {
                if let Ok(bytes) = hex::decode(sig) {
                    signatures.push(bytes);
                }
            }
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(BillingError::BadSignature)?;
    if (now_secs - timestamp).abs() > TOLERANCE_SECS || signatures.is_empty() {
        return Err(BillingError::BadSignature);
    }
    let matches = signatures.iter().any(|sig| {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        mac.verify_slice(sig).is_ok()
    });
    if matches {
        Ok(())
    } else {
        Err(BillingError::BadSignature)
    }
}

/// The `Stripe-Signature` header Stripe would send for `body` at `timestamp` (for the local
/// peer and tests).
pub fn sign(body: &[u8], secret: &str, timestamp: i64) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!(
        "t={timestamp},v1={}",
        hex::encode(mac.finalize().into_bytes())
    )
}

fn order_ref(object: &Value) -> Option<OrderRef> {
    text(object, &["metadata", "order_id"])
        .or_else(|| text(object, &["client_reference_id"]))
        .map(OrderRef::Id)
}

/// Reads a verified event: `(event id, type, what it means to us)`.
pub fn parse_event(body: &[u8]) -> Result<(String, String, PaymentEvent), BillingError> {
    let event: Value =
        serde_json::from_slice(body).map_err(|e| BillingError::BadPayload(e.to_string()))?;
    let id = text(&event, &["id"]).ok_or_else(|| BillingError::BadPayload("no id".into()))?;
    let kind = text(&event, &["type"]).ok_or_else(|| BillingError::BadPayload("no type".into()))?;
    let object = event
        .get("data")
        .and_then(|d| d.get("object"))
        .ok_or_else(|| BillingError::BadPayload("no data.object".into()))?;
    let object = EventObject {
        kind: &kind,
        object,
    };
    let parsed = match kind.as_str() {
        "checkout.session.completed" | "checkout.session.async_payment_succeeded" => {
            object.checkout_completed()?
        }
        "checkout.session.async_payment_failed" => PaymentEvent::CheckoutFailed {
            order: object.session_ref()?,
        },
        "checkout.session.expired" => PaymentEvent::CheckoutExpired {
            order: object.session_ref()?,
        },
        "invoice.paid" => object.invoice_paid()?,
        "customer.subscription.updated" | "customer.subscription.deleted" => {
            object.subscription_changed()?
        }
        "charge.refunded" => object.charge_refunded()?,
        "charge.dispute.created" | "charge.dispute.closed" => object.dispute()?,
        _ => PaymentEvent::Ignored,
    };
    Ok((id, kind, parsed))
}

/// An event's `data.object`, read according to the event's type.
struct EventObject<'a> {
    kind: &'a str,
    object: &'a Value,
}

impl EventObject<'_> {
    fn missing(&self, what: &str) -> BillingError {
        BillingError::BadPayload(format!("{} without {what}", self.kind))
    }

    fn session_ref(&self) -> Result<OrderRef, BillingError> {
        order_ref(self.object)
            .or_else(|| text(self.object, &["id"]).map(OrderRef::Session))
            .ok_or_else(|| self.missing("a session"))
    }

    /// A completed checkout: a subscription started, a pack paid, or payment still pending.
    fn checkout_completed(&self) -> Result<PaymentEvent, BillingError> {
        let object = self.object;
        let order = self.session_ref()?;
        let customer_id = text(object, &["customer"]);
        let mode = text(object, &["mode"]).unwrap_or_default();
        let paid = text(object, &["payment_status"]).as_deref() == Some("paid");
        Ok(if mode == "subscription" {
            match text(object, &["subscription"]) {
                Some(subscription_id) => PaymentEvent::SubscriptionStarted {
                    order,
                    subscription_id,
                    customer_id,
                },
                None => return Err(self.missing("a subscription")),
            }
        } else if paid {
            PaymentEvent::CheckoutPaid {
                order,
                payment_id: text(object, &["payment_intent"]),
                customer_id,
            }
        } else {
            // `unpaid` (a delayed method such as a bank debit) or `no_payment_required`:
            // nothing is granted until the money arrives.
            PaymentEvent::CheckoutPending { order, customer_id }
        })
    }

    /// A paid invoice: a subscription period, unless one-off or a proration of nothing.
    fn invoice_paid(&self) -> Result<PaymentEvent, BillingError> {
        let object = self.object;
        let subscription_id = text(object, &["subscription"])
            .or_else(|| text(object, &["parent", "subscription_details", "subscription"]));
        let Some(subscription_id) = subscription_id else {
            // A one-off invoice: not a subscription period.
            return Ok(PaymentEvent::Ignored);
        };
        let metadata = invoice_metadata(object);
        let line = object.pointer("/lines/data/0/period");
        let period_start = line
            .and_then(|p| p.get("start"))
            .and_then(Value::as_i64)
            .or_else(|| int(object, &["period_start"]))
            .ok_or_else(|| self.missing("a period"))?;
        let period_end = line
            .and_then(|p| p.get("end"))
            .and_then(Value::as_i64)
            .or_else(|| int(object, &["period_end"]))
            .ok_or_else(|| self.missing("a period"))?;
        let amount = int(object, &["amount_paid"]).unwrap_or(0);
        let billing_reason = text(object, &["billing_reason"]);
        if amount == 0 && billing_reason.as_deref() == Some("subscription_update") {
            // A proration that moved no money grants no period.
            return Ok(PaymentEvent::Ignored);
        }
        Ok(PaymentEvent::PeriodPaid(PeriodPaid {
            invoice_id: text(object, &["id"]).ok_or_else(|| self.missing("an id"))?,
            subscription_id,
            // The checkout's own order pays for the first period only.
            order_id: text(&metadata, &["order_id"])
                .filter(|_| billing_reason.as_deref() == Some("subscription_create")),
            user_id: text(&metadata, &["user_id"]),
            plan_id: text(&metadata, &["plan_id"]),
            customer_id: text(object, &["customer"]),
            period_start: period_start * 1000,
            period_end: period_end * 1000,
            amount,
            currency: text(object, &["currency"]).unwrap_or_else(|| "usd".into()),
        }))
    }

    /// The subscription's state, period and cancellation as Stripe now sees them.
    fn subscription_changed(&self) -> Result<PaymentEvent, BillingError> {
        let object = self.object;
        let status = if self.kind.ends_with("deleted") {
            "ended".to_string()
        } else {
            match text(object, &["status"]).as_deref() {
                Some("canceled") => "cancelled".to_string(),
                Some("incomplete_expired") => "ended".to_string(),
                Some(other) => other.to_string(),
                None => return Err(self.missing("a status")),
            }
        };
        let period = |field: &str| {
            int(object, &[field])
                .or_else(|| {
                    object
                        .pointer(&format!("/items/data/0/{field}"))
                        .and_then(Value::as_i64)
                })
                .map(|s| s * 1000)
        };
        Ok(PaymentEvent::SubscriptionChanged(SubscriptionChange {
            subscription_id: text(object, &["id"]).ok_or_else(|| self.missing("an id"))?,
            status,
            user_id: text(object, &["metadata", "user_id"]),
            plan_id: text(object, &["metadata", "plan_id"]),
            customer_id: text(object, &["customer"]),
            period_start: period("current_period_start"),
            period_end: period("current_period_end"),
            cancel_at_period_end: object
                .get("cancel_at_period_end")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        }))
    }

    /// Money returned: the running total refunded for the payment.
    fn charge_refunded(&self) -> Result<PaymentEvent, BillingError> {
        let object = self.object;
        // A subscription's charge names its invoice (how its order is keyed); a pack's
        // charge its payment intent.
        let payment_id = text(object, &["invoice"])
            .or_else(|| text(object, &["payment_intent"]))
            .or_else(|| text(object, &["id"]))
            .ok_or_else(|| self.missing("a payment"))?;
        let total =
            int(object, &["amount_refunded"]).ok_or_else(|| self.missing("amount_refunded"))?;
        Ok(PaymentEvent::Refunded {
            payment_id,
            order: order_ref(object),
            amount: RefundAmount::Total(total),
        })
    }

    /// A dispute opened or closed (won, or lost).
    fn dispute(&self) -> Result<PaymentEvent, BillingError> {
        let object = self.object;
        let dispute = DisputeFacts {
            dispute_id: text(object, &["id"]).ok_or_else(|| self.missing("an id"))?,
            payment_id: text(object, &["payment_intent"])
                .or_else(|| text(object, &["charge"]))
                .ok_or_else(|| self.missing("a payment"))?,
            order: order_ref(object),
            amount: int(object, &["amount"]).unwrap_or(0),
            currency: text(object, &["currency"]).unwrap_or_default(),
            reason: text(object, &["reason"]).unwrap_or_else(|| "general".into()),
        };
        Ok(if self.kind.ends_with("created") {
            PaymentEvent::DisputeOpened(dispute)
        } else {
            let status = text(object, &["status"]).unwrap_or_default();
            PaymentEvent::DisputeClosed {
                dispute,
                won: matches!(status.as_str(), "won" | "warning_closed"),
            }
        })
    }
}

/// The metadata a subscription invoice carries from its checkout: under the subscription
/// details (older and newer API versions), else on its first line.
fn invoice_metadata(object: &Value) -> Value {
    object
        .get("subscription_details")
        .or_else(|| {
            object
                .get("parent")
                .and_then(|p| p.get("subscription_details"))
        })
        .and_then(|d| d.get("metadata"))
        .filter(|m| m.get("user_id").is_some())
        .or_else(|| {
            object
                .pointer("/lines/data/0/metadata")
                .filter(|m| m.get("user_id").is_some())
        })
        .cloned()
        .unwrap_or(Value::Null)
}

/// Stripe through async-stripe.
pub struct StripeGateway {
    client: Client,
    webhook_secret: secrecy::SecretString,
}

impl StripeGateway {
    pub fn new(config: &StripeConfig) -> StripeGateway {
        let base = format!("{}/", config.api_url.trim_end_matches('/'));
        StripeGateway {
            client: Client::from_url(base.as_str(), config.secret_key.expose_secret()),
            webhook_secret: config.webhook_secret.clone(),
        }
    }
}

#[async_trait::async_trait]
impl PaymentGateway for StripeGateway {
    fn kind(&self) -> PaymentProviderKind {
        PaymentProviderKind::Stripe
    }

    fn signature_header(&self) -> &'static str {
        SIGNATURE_HEADER
    }

    fn read_webhook(
        &self,
        signature: Option<&str>,
        body: &[u8],
        now_ms: i64,
    ) -> Result<(String, String, PaymentEvent), BillingError> {
        let signature = signature.ok_or(BillingError::BadSignature)?;
        verify_signature(
            signature,
            body,
            self.webhook_secret.expose_secret(),
            now_ms / 1000,
        )?;
        parse_event(body)
    }

    /// Creates a Checkout Session: payment mode for packages (cards, plus WeChat Pay and
    /// Alipay where the currency allows), subscription mode for plans (cards).
    async fn start_checkout(
        &self,
        request: &CheckoutRequest<'_>,
    ) -> Result<CheckoutStart, BillingError> {
        let order = request.order;
        let currency = Currency::parse(&order.currency).unwrap_or(Currency::Usd);
        let stripe_currency = match currency {
            Currency::Usd => stripe::Currency::USD,
            Currency::Cny => stripe::Currency::CNY,
        };
        let mut metadata = std::collections::HashMap::new();
        metadata.insert("order_id".to_string(), order.id.clone());
        metadata.insert("user_id".to_string(), order.user_id.clone());
        metadata.insert("product_id".to_string(), order.product_id.clone());
        let mut params = CreateCheckoutSession::new();
        params.success_url = Some(request.success_url);
        params.cancel_url = Some(request.cancel_url);
        params.client_reference_id = Some(&order.id);
        params.metadata = Some(metadata.clone());
        params.locale = Some(if request.locale.starts_with("zh") {
            CheckoutSessionLocale::Zh
        } else {
            CheckoutSessionLocale::En
        });
        let customer: Option<CustomerId> = request.customer_id.and_then(|c| c.parse().ok());
        if customer.is_some() {
            params.customer = customer;
        } else {
            params.customer_email = Some(request.email);
        }
        let mut price_data = CreateCheckoutSessionLineItemsPriceData {
            currency: stripe_currency,
            product_data: Some(CreateCheckoutSessionLineItemsPriceDataProductData {
                name: request.product_name.to_string(),
                ..Default::default()
            }),
            unit_amount: Some(order.amount),
            ..Default::default()
        };
        match request.product {
            Product::Package(_) => payment_mode(&mut params, currency, metadata),
            Product::Plan(plan) => subscription_mode(&mut params, &mut price_data, plan, metadata),
        }
        params.line_items = Some(vec![CreateCheckoutSessionLineItems {
            price_data: Some(price_data),
            quantity: Some(1),
            ..Default::default()
        }]);
        let session = CheckoutSession::create(&self.client, params)
            .await
            .map_err(describe)?;
        let url = session
            .url
            .ok_or_else(|| BillingError::Provider("the session has no url".into()))?;
        Ok(CheckoutStart {
            redirect_url: url,
            session_id: session.id.to_string(),
        })
    }

    /// A short-lived Customer Portal link.
    async fn portal_url(
        &self,
        customer_id: &str,
        return_url: &str,
    ) -> Result<String, BillingError> {
        let customer: CustomerId = customer_id
            .parse()
            .map_err(|_| BillingError::Provider("not a customer id".into()))?;
        let mut params = CreateBillingPortalSession::new(customer);
        params.return_url = Some(return_url);
        let session = BillingPortalSession::create(&self.client, params)
            .await
            .map_err(describe)?;
        Ok(session.url)
    }
}

type Metadata = std::collections::HashMap<String, String>;

/// A one-time payment: cards and WeChat Pay, plus Alipay where the currency allows.
fn payment_mode(params: &mut CreateCheckoutSession<'_>, currency: Currency, metadata: Metadata) {
    params.mode = Some(CheckoutSessionMode::Payment);
    let mut types = vec![
        CreateCheckoutSessionPaymentMethodTypes::Card,
        CreateCheckoutSessionPaymentMethodTypes::WechatPay,
    ];
    // Alipay's settlement currencies do not include CNY (protocols: Stripe).
    if currency == Currency::Usd {
        types.push(CreateCheckoutSessionPaymentMethodTypes::Alipay);
    }
    params.payment_method_types = Some(types);
    params.payment_method_options = Some(CreateCheckoutSessionPaymentMethodOptions {
        wechat_pay: Some(CreateCheckoutSessionPaymentMethodOptionsWechatPay {
            client: CreateCheckoutSessionPaymentMethodOptionsWechatPayClient::Web,
            ..Default::default()
        }),
        ..Default::default()
    });
    params.payment_intent_data = Some(CreateCheckoutSessionPaymentIntentData {
        metadata: Some(metadata),
        ..Default::default()
    });
}

/// A subscription to `plan`, paid by card, recurring at the plan's interval.
fn subscription_mode(
    params: &mut CreateCheckoutSession<'_>,
    price_data: &mut CreateCheckoutSessionLineItemsPriceData,
    plan: &super::SubscriptionPlan,
    metadata: Metadata,
) {
    params.mode = Some(CheckoutSessionMode::Subscription);
    params.payment_method_types = Some(vec![CreateCheckoutSessionPaymentMethodTypes::Card]);
    price_data.recurring = Some(CreateCheckoutSessionLineItemsPriceDataRecurring {
        interval: match plan.interval {
            super::Interval::Month => {
                CreateCheckoutSessionLineItemsPriceDataRecurringInterval::Month
            }
            super::Interval::Year => CreateCheckoutSessionLineItemsPriceDataRecurringInterval::Year,
        },
        interval_count: None,
    });
    let mut sub_metadata = metadata;
    sub_metadata.insert("plan_id".to_string(), plan.id.clone());
    params.subscription_data = Some(CreateCheckoutSessionSubscriptionData {
        metadata: Some(sub_metadata),
        ..Default::default()
    });
}

/// The operator's view of a Stripe failure: status, type and code, never the key.
fn describe(error: StripeError) -> BillingError {
    match error {
        StripeError::Stripe(e) => BillingError::Provider(format!(
            "stripe {} {:?} {}",
            e.http_status,
            e.error_type,
            e.code.map(|c| format!("{c:?}")).unwrap_or_default()
        )),
        StripeError::Timeout => BillingError::Provider("stripe timed out".into()),
        StripeError::ClientError(_) => BillingError::Provider("stripe unreachable".into()),
        other => BillingError::Provider(format!("stripe: {other}")),
    }
}
