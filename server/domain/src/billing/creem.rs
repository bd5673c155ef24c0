//! Creem: checkout sessions (`POST /v1/checkouts`, `x-api-key`) and webhooks signed with
//! `creem-signature`, the hex HMAC-SHA256 of the raw body under the webhook secret. The
//! signature covers no timestamp and Creem retries a failed delivery for hours, so an
//! event is accepted whenever its signature holds: replays are harmless because event ids
//! are deduplicated like every provider's, and each order is fulfilled at most once.

use super::{
    BillingError, CheckoutRequest, CheckoutStart, DisputeFacts, OrderRef, PaymentEvent,
    PaymentGateway, PeriodPaid, RefundAmount, SubscriptionChange, json_int as int,
    json_text as text,
};
use crate::config::{CreemConfig, PaymentProviderKind};
use hmac::{Hmac, Mac};
use secrecy::ExposeSecret;
use serde_json::{Value, json};
use sha2::Sha256;

pub const SIGNATURE_HEADER: &str = "creem-signature";

/// Checks `creem-signature` against the raw body, in constant time.
pub fn verify_signature(header: &str, body: &[u8], secret: &str) -> Result<(), BillingError> {
    let expected = hex::decode(header.trim()).map_err(|_| BillingError::BadSignature)?;
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(body);
    mac.verify_slice(&expected)
        .map_err(|_| BillingError::BadSignature)
}

/// The signature Creem would send for `body`.
pub fn sign(body: &[u8], secret: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// A time as Creem writes it (RFC 3339, or milliseconds), in milliseconds.
fn time_ms(v: &Value, field: &str) -> Option<i64> {
    match v.get(field)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => {
            time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
                .ok()
                .map(|t| (t.unix_timestamp_nanos() / 1_000_000) as i64)
        }
        _ => None,
    }
}

fn order_ref(object: &Value) -> Option<OrderRef> {
    text(object, &["metadata", "order_id"])
        .or_else(|| text(object, &["request_id"]))
        .or_else(|| text(object, &["checkout", "request_id"]))
        .map(OrderRef::Id)
}

/// Reads a verified event: `(id, type, meaning)`.
pub fn parse_event(body: &[u8]) -> Result<(String, String, PaymentEvent), BillingError> {
    let event: Value =
        serde_json::from_slice(body).map_err(|e| BillingError::BadPayload(e.to_string()))?;
    let id = text(&event, &["id"]).ok_or_else(|| BillingError::BadPayload("no id".into()))?;
    let kind = text(&event, &["eventType"])
        .ok_or_else(|| BillingError::BadPayload("no eventType".into()))?;
    int(&event, &["created_at"]).ok_or_else(|| BillingError::BadPayload("no created_at".into()))?;
    let object = event
        .get("object")
        .ok_or_else(|| BillingError::BadPayload("no object".into()))?;
    let missing = |what: &str| BillingError::BadPayload(format!("{kind} without {what}"));
    let parsed = match kind.as_str() {
        "checkout.completed" => checkout_completed(object, &missing)?,
        "subscription.paid" => subscription_paid(object, &missing)?,
        "subscription.active"
        | "subscription.update"
        | "subscription.trialing"
        | "subscription.paused"
        | "subscription.past_due"
        | "subscription.canceled"
        | "subscription.expired"
        | "subscription.scheduled_cancel" => subscription_changed(object, &kind, &missing)?,
        "refund.created" => PaymentEvent::Refunded {
            payment_id: text(object, &["order", "id"]).ok_or_else(|| missing("an order"))?,
            order: order_ref(object),
            amount: RefundAmount::Increment(
                int(object, &["refund_amount"]).ok_or_else(|| missing("refund_amount"))?,
            ),
        },
        "dispute.created" => PaymentEvent::DisputeOpened(DisputeFacts {
            dispute_id: text(object, &["id"]).ok_or_else(|| missing("an id"))?,
            payment_id: text(object, &["order", "id"]).ok_or_else(|| missing("an order"))?,
            order: order_ref(object),
            amount: int(object, &["amount"]).unwrap_or(0),
            currency: text(object, &["currency"])
                .unwrap_or_default()
                .to_lowercase(),
            reason: text(object, &["reason"]).unwrap_or_else(|| "general".into()),
        }),
        _ => PaymentEvent::Ignored,
    };
    Ok((id, kind, parsed))
}

/// Missing-field errors name the event type.
type Missing<'a> = dyn Fn(&str) -> BillingError + 'a;

/// A completed checkout: a subscription started, a pack paid, or payment still pending.
fn checkout_completed(object: &Value, missing: &Missing) -> Result<PaymentEvent, BillingError> {
    let order = order_ref(object).ok_or_else(|| missing("request_id"))?;
    let customer_id = text(object, &["customer"]);
    Ok(
        if let Some(subscription_id) = text(object, &["subscription"]) {
            PaymentEvent::SubscriptionStarted {
                order,
                subscription_id,
                customer_id,
            }
        } else if text(object, &["order", "status"]).as_deref() == Some("paid") {
            PaymentEvent::CheckoutPaid {
                order,
                payment_id: text(object, &["order", "id"]),
                customer_id,
            }
        } else {
            PaymentEvent::CheckoutPending { order, customer_id }
        },
    )
}

/// A paid subscription period (its last transaction is the invoice).
fn subscription_paid(object: &Value, missing: &Missing) -> Result<PaymentEvent, BillingError> {
    let subscription_id = text(object, &["id"]).ok_or_else(|| missing("an id"))?;
    let period_start = time_ms(object, "current_period_start_date")
        .ok_or_else(|| missing("current_period_start_date"))?;
    let period_end = time_ms(object, "current_period_end_date")
        .ok_or_else(|| missing("current_period_end_date"))?;
    let transaction = object
        .get("last_transaction")
        .cloned()
        .unwrap_or(Value::Null);
    let invoice_id = text(object, &["last_transaction_id"])
        .or_else(|| text(&transaction, &["id"]))
        .unwrap_or_else(|| format!("{subscription_id}:{period_start}"));
    Ok(PaymentEvent::PeriodPaid(PeriodPaid {
        invoice_id,
        subscription_id,
        order_id: text(object, &["metadata", "order_id"]),
        user_id: text(object, &["metadata", "user_id"]),
        plan_id: text(object, &["metadata", "plan_id"]),
        customer_id: text(object, &["customer"]),
        period_start,
        period_end,
        amount: int(&transaction, &["amount"])
            .or_else(|| int(object, &["product", "price"]))
            .unwrap_or(0),
        currency: text(&transaction, &["currency"])
            .or_else(|| text(object, &["product", "currency"]))
            .unwrap_or_else(|| "usd".into())
            .to_lowercase(),
    }))
}

/// A change of a subscription's state, named by the event type.
fn subscription_changed(
    object: &Value,
    kind: &str,
    missing: &Missing,
) -> Result<PaymentEvent, BillingError> {
    let status = match kind {
        "subscription.canceled" => "cancelled".to_string(),
        "subscription.expired" => "ended".to_string(),
        "subscription.scheduled_cancel" => "active".to_string(),
        "subscription.past_due" => "past_due".to_string(),
        "subscription.paused" => "paused".to_string(),
        "subscription.trialing" => "trialing".to_string(),
        _ => text(object, &["status"]).unwrap_or_else(|| "active".into()),
    };
    Ok(PaymentEvent::SubscriptionChanged(SubscriptionChange {
        subscription_id: text(object, &["id"]).ok_or_else(|| missing("an id"))?,
        status,
        user_id: text(object, &["metadata", "user_id"]),
        plan_id: text(object, &["metadata", "plan_id"]),
        customer_id: text(object, &["customer"]),
        period_start: time_ms(object, "current_period_start_date"),
        period_end: time_ms(object, "current_period_end_date"),
        cancel_at_period_end: kind == "subscription.scheduled_cancel",
    }))
}

/// Creem's checkout API.
pub struct CreemGateway {
    http: reqwest::Client,
    api_key: secrecy::SecretString,
    webhook_secret: secrecy::SecretString,
    api_url: String,
}

impl CreemGateway {
    pub fn new(config: &CreemConfig, http: reqwest::Client) -> CreemGateway {
        CreemGateway {
            http,
            api_key: config.api_key.clone(),
            webhook_secret: config.webhook_secret.clone(),
            api_url: config.api_url.clone(),
        }
    }
}

#[async_trait::async_trait]
impl PaymentGateway for CreemGateway {
    fn kind(&self) -> PaymentProviderKind {
        PaymentProviderKind::Creem
    }

    fn signature_header(&self) -> &'static str {
        SIGNATURE_HEADER
    }

    fn read_webhook(
        &self,
        signature: Option<&str>,
        body: &[u8],
        _now_ms: i64,
    ) -> Result<(String, String, PaymentEvent), BillingError> {
        let signature = signature.ok_or(BillingError::BadSignature)?;
        verify_signature(signature, body, self.webhook_secret.expose_secret())?;
        parse_event(body)
    }

    async fn start_checkout(
        &self,
        request: &CheckoutRequest<'_>,
    ) -> Result<CheckoutStart, BillingError> {
        let order = request.order;
        let product_id = request
            .product
            .creem_product_id()
            .ok_or(BillingError::ProviderUnavailable)?;
        let mut metadata = json!({
            "order_id": order.id,
            "user_id": order.user_id,
            "product_id": order.product_id,
        });
        if let super::Product::Plan(plan) = request.product {
            metadata["plan_id"] = json!(plan.id);
        }
        let body = json!({
            "product_id": product_id,
            "request_id": order.id,
            "units": 1,
            "success_url": request.success_url,
            "customer": { "email": request.email },
            "metadata": metadata,
        });
        let response = self
            .http
            .post(format!("{}/v1/checkouts", self.api_url))
            .header("x-api-key", self.api_key.expose_secret())
            .json(&body)
            .send()
            .await
            .map_err(|e| {
                BillingError::Provider(if e.is_timeout() {
                    "creem timed out".into()
                } else {
                    "creem unreachable".into()
                })
            })?;
        let status = response.status();
        let payload: Value = response.json().await.unwrap_or(Value::Null);
        if !status.is_success() {
            // Creem's errors: {status, error, message: [..], trace_id}.
            return Err(BillingError::Provider(format!(
                "creem {} {} trace {}",
                status.as_u16(),
                text(&payload, &["error"]).unwrap_or_default(),
                text(&payload, &["trace_id"]).unwrap_or_default()
            )));
        }
        let redirect_url = text(&payload, &["checkout_url"])
            .ok_or_else(|| BillingError::Provider("creem: no checkout_url".into()))?;
        let session_id = text(&payload, &["id"])
            .ok_or_else(|| BillingError::Provider("creem: no checkout id".into()))?;
        Ok(CheckoutStart {
            redirect_url,
            session_id,
        })
    }

    /// The customer's billing portal link (`POST /v1/customers/billing`).
    async fn portal_url(
        &self,
        customer_id: &str,
        _return_url: &str,
    ) -> Result<String, BillingError> {
        let response = self
            .http
            .post(format!("{}/v1/customers/billing", self.api_url))
            .header("x-api-key", self.api_key.expose_secret())
            .json(&json!({ "customer_id": customer_id }))
            .send()
            .await
            .map_err(|_| BillingError::Provider("creem unreachable".into()))?;
        let status = response.status();
        let payload: Value = response.json().await.unwrap_or(Value::Null);
        if !status.is_success() {
            return Err(BillingError::Provider(format!(
                "creem portal {}",
                status.as_u16()
            )));
        }
        text(&payload, &["customer_portal_link"])
            .ok_or_else(|| BillingError::Provider("creem: no portal link".into()))
    }
}
