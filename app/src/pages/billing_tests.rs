//! Render tests of the pages around billing: pricing, checkout, the billing settings,
//! receipts and disputes.

use super::admin::disputes::Disputes;
use super::checkout::local::LocalCheckout;
use super::checkout::success::CheckoutResult;
use super::pricing::Pricing;
use super::settings::billing::Billing;
use super::settings::billing::orders::Receipt;
use crate::components::billing::ORDER_STATUSES;
use crate::components::forms::test_support::{check, ctx, error, render, viewer};
use crate::i18n::Locale;
use crate::model::DisputeNoteView;
use crate::model::{
    BalanceView, BillingOverview, BillingProfileView, CheckoutOrderView, DisputeView,
    LedgerEntryView, LotView, OrderView, PackageOffer, PlanOffer, PricingView, ReceiptView,
    ReferralView, SubscriptionView,
};
use leptos::prelude::*;

/// The history filter is the one form that reads (`GET`) instead of posting: left out
/// of the check that every form posts with its token.
fn without_history_filter(html: &str) -> String {
    match html.find(r#"method="get""#) {
        Some(at) => {
            let start = html[..at].rfind("<form").unwrap();
            let end = at + html[at..].find("</form>").unwrap() + "</form>".len();
            format!("{}{}", &html[..start], &html[end..])
        }
        None => html.to_string(),
    }
}

/// The text of the element with `data-testid="{id}"`.
fn test_id_text<'a>(html: &'a str, id: &str) -> Option<&'a str> {
    let at = html.find(&format!(r#"data-testid="{id}""#))?;
    let open = at + html[at..].find('>')? + 1;
    let close = open + html[open..].find('<')?;
    Some(&html[open..close])
}

fn pricing() -> PricingView {
    PricingView {
        currency: "cny".into(),
        packages: vec![
            PackageOffer {
                id: "starter".into(),
                credits: 100,
                price: "¥69.90".into(),
                validity_days: 365,
                popular: false,
            },
            PackageOffer {
                id: "creator".into(),
                credits: 500,
                price: "¥279.90".into(),
                validity_days: 365,
                popular: true,
            },
        ],
        plans: vec![
            PlanOffer {
                id: "pro-monthly".into(),
                interval: "month".into(),
                credits: 800,
                price: "¥139.00".into(),
                popular: true,
            },
            PlanOffer {
                id: "pro-yearly".into(),
                interval: "year".into(),
                credits: 9600,
                price: "¥1390.00".into(),
                popular: false,
            },
        ],
        signed_in: false,
        test_checkout: true,
        signup_bonus: 30,
        signup_bonus_days: 30,
    }
}

fn order(status: &str) -> CheckoutOrderView {
    CheckoutOrderView {
        number: "BN-20261122-7KQ2MX".into(),
        product_key: "billing-product-package".into(),
        credits: 500,
        amount: "$39.90".into(),
        status: status.into(),
        provider: "local".into(),
        balance: 530,
    }
}

#[test]
fn pricing_offers_every_product_with_a_checkout_form() {
    for locale in Locale::ALL {
        let context = ctx(
            None,
            error("checkout", "billing-error-unknown-product", &[]),
        );
        let html = render(locale, || {
            view! { <Pricing ctx=context.clone() pricing=pricing() /> }
        });
        check(&format!("pricing-{}", locale.tag()), &html);
        let action = format!(r#"action="{}""#, locale.path("/checkout"));
        assert_eq!(html.matches(&action).count(), 4);
        for id in ["starter", "creator", "pro-monthly", "pro-yearly"] {
            assert!(
                html.contains(&format!(r#"name="product" value="{id}""#)),
                "{id}"
            );
        }
        assert_eq!(html.matches(r#"name="currency" value="cny""#).count(), 4);
        assert!(html.contains("¥279.90") && html.contains("¥1390.00"));
        let page = locale.path("/pricing");
        assert!(html.contains(&format!(r#"href="{page}?currency=usd""#)));
        assert!(html.contains(&format!(
            r#"href="{page}?currency=cny" aria-current="true""#
        )));
        assert!(html.contains(r#"data-testid="test-checkout-note""#));
        assert!(html.contains("30"), "signup bonus");
        assert!(html.contains(r#"role="alert""#), "the refusal shows");
    }
    let html = render(Locale::En, || {
        view! { <Pricing ctx=ctx(None, None) pricing=pricing() /> }
    });
    assert!(html.contains(">500 credits<") && html.contains("Pro — 9600 credits a year"));
    let mut live = pricing();
    live.test_checkout = false;
    let html = render(Locale::En, || {
        view! { <Pricing ctx=ctx(None, None) pricing=live.clone() /> }
    });
    assert!(!html.contains("test-checkout-note"));
}

#[test]
fn the_local_checkout_offers_three_outcomes() {
    for locale in Locale::ALL {
        let html = render(locale, || {
            view! { <LocalCheckout ctx=ctx(Some(viewer()), None) order=order("created") /> }
        });
        check(&format!("checkout-local-{}", locale.tag()), &html);
        assert!(html.contains(&format!(
            r#"action="{}""#,
            locale.path("/checkout/local/BN-20261122-7KQ2MX")
        )));
        for outcome in ["pay", "fail", "cancel"] {
            assert!(html.contains(&format!(r#"name="outcome" value="{outcome}""#)));
        }
        assert!(html.contains("$39.90"));
        let html = render(locale, || {
            view! { <LocalCheckout ctx=ctx(Some(viewer()), None) order=order("paid") /> }
        });
        check(&format!("checkout-local-done-{}", locale.tag()), &html);
        assert!(!html.contains(r#"name="outcome""#));
    }
}

#[test]
fn the_success_page_follows_the_order() {
    for locale in Locale::ALL {
        for status in ORDER_STATUSES {
            let html = render(locale, || {
                view! { <CheckoutResult ctx=ctx(Some(viewer()), None) order=order(status) /> }
            });
            check(&format!("checkout-{status}-{}", locale.tag()), &html);
            assert_eq!(test_id_text(&html, "order-status"), Some(*status));
            assert_eq!(
                html.contains(r#"http-equiv="refresh""#),
                *status == "created",
                "{status}: reloads only while pending"
            );
            assert_eq!(
                test_id_text(&html, "balance"),
                (*status == "paid").then_some("530"),
                "{status}"
            );
        }
    }
}

fn overview() -> BillingOverview {
    BillingOverview {
        balance: BalanceView {
            available: 120,
            held: 10,
            frozen: 500,
            debt: 0,
            total: 120,
        },
        lots: vec![
            LotView {
                source: "signup_bonus".into(),
                amount: 30,
                remaining: 20,
                expires_at: Some(1_700_000_000_000),
                frozen: false,
                expiring_soon: true,
            },
            LotView {
                source: "purchase".into(),
                amount: 500,
                remaining: 500,
                expires_at: Some(1_731_536_000_000),
                frozen: true,
                expiring_soon: false,
            },
        ],
        expiring_soon: 20,
        entries: vec![LedgerEntryView {
            kind: "grant".into(),
            delta: 500,
            balance_after: 620,
            order_number: Some("BN-20261122-7KQ2MX".into()),
            created_at: 1_700_000_000_000,
        }],
        kind: Some("grant".into()),
        older: Some(1_699_999_999_000),
        orders: vec![OrderView {
            number: "BN-20261122-7KQ2MX".into(),
            product_key: "billing-product-package".into(),
            credits: 500,
            amount: "$39.90".into(),
            status: "paid".into(),
            created_at: 1_700_000_000_000,
            paid_at: Some(1_700_000_060_000),
        }],
        subscriptions: vec![SubscriptionView {
            id: "sub-1".into(),
            product_key: "billing-product-plan-month".into(),
            credits: 800,
            status: "active".into(),
            period_end: Some(1_702_592_000_000),
            cancel_at_period_end: false,
            provider: "local".into(),
        }],
        manage_via_portal: false,
        profile: BillingProfileView {
            name: "Ada Lovelace".into(),
            company: String::new(),
            address: "12 St James's Square\nLondon".into(),
            tax_id: String::new(),
        },
        referral: ReferralView {
            link: "https://banana.example/r/abcd2345".into(),
            referred: 3,
            rewarded: 1,
            referrer_bonus: 100,
            referred_bonus: 50,
        },
    }
}

#[test]
fn billing_settings_show_credits_orders_and_forms() {
    for locale in Locale::ALL {
        let flash = error(
            "billing-profile",
            "billing-profile-error-too-long",
            &[("name", "Ada typed this"), ("tax_id", "GB123")],
        )
        .map(|mut f| {
            f.args = vec![("field".into(), "tax_id".into())];
            f
        });
        let context = ctx(Some(viewer()), flash);
        let html = render(locale, || {
            view! { <Billing ctx=context.clone() viewer=viewer() overview=Some(overview()) /> }
        });
        check(
            &format!("billing-{}", locale.tag()),
            &without_history_filter(&html),
        );
        assert_eq!(test_id_text(&html, "billing-balance"), Some("120"));
        assert!(html.contains(r#"<tr class="expiring">"#));
        assert!(html.contains(r#"<option value="grant" selected"#));
        let page = locale.path("/settings/billing");
        assert!(html.contains(&format!(
            r#"href="{page}?kind=grant&amp;before=1699999999000""#
        )));
        assert!(html.contains(&format!(
            r#"href="{}""#,
            locale.path("/settings/billing/orders/BN-20261122-7KQ2MX")
        )));
        assert!(html.contains(&format!(
            r#"action="{}""#,
            locale.path("/settings/billing/subscriptions/sub-1/cancel")
        )));
        assert!(!html.contains("/settings/billing/portal"));
        assert!(html.contains(&format!(
            r#"action="{}""#,
            locale.path("/settings/billing/profile")
        )));
        // Refused: the typed values come back, and the message names the field.
        assert!(html.contains(r#"value="Ada typed this""#) && html.contains(r#"value="GB123""#));
        assert!(!html.contains("{ $field }") && !html.contains("One of the fields"));
        assert!(html.contains(r#"value="https://banana.example/r/abcd2345""#));
        for name in ["name", "company", "address", "tax_id"] {
            assert!(html.contains(&format!(r#"name="{name}""#)), "{name}");
        }
    }
    // In debt, with a provider's portal.
    let mut owing = overview();
    owing.balance = BalanceView {
        available: 0,
        held: 0,
        frozen: 0,
        debt: 40,
        total: -40,
    };
    owing.manage_via_portal = true;
    owing.subscriptions[0].provider = "stripe".into();
    let html = render(Locale::En, || {
        view! { <Billing ctx=ctx(Some(viewer()), None) viewer=viewer() overview=Some(owing.clone()) /> }
    });
    check("billing-debt-en", &without_history_filter(&html));
    assert_eq!(test_id_text(&html, "billing-balance"), Some("-40"));
    assert!(html.contains("Spending is blocked"));
    assert!(html.contains(r#"action="/settings/billing/portal""#));
    assert!(!html.contains("/cancel\""));
}

#[test]
fn receipts_print_the_order_and_billing_details() {
    let receipt = ReceiptView {
        order: OrderView {
            number: "BN-20261122-7KQ2MX".into(),
            product_key: "billing-product-plan-year".into(),
            credits: 9600,
            amount: "¥1390.00".into(),
            status: "refunded".into(),
            created_at: 1_700_000_000_000,
            paid_at: Some(1_700_000_060_000),
        },
        kind: "subscription".into(),
        refunded: Some("¥1390.00".into()),
        refunded_at: Some(1_700_100_000_000),
        period_start: Some(1_700_000_060_000),
        period_end: Some(1_731_622_460_000),
        provider: "stripe".into(),
        profile: BillingProfileView {
            name: "Ada Lovelace".into(),
            company: "Analytical Engines".into(),
            address: "London".into(),
            tax_id: "GB123".into(),
        },
        email: "ada@example.com".into(),
    };
    for locale in Locale::ALL {
        let html = render(locale, || {
            view! { <Receipt ctx=ctx(Some(viewer()), None) viewer=viewer() receipt=Ok(Some(receipt.clone())) /> }
        });
        check(&format!("receipt-{}", locale.tag()), &html);
        for text in [
            "BN-20261122-7KQ2MX",
            "9600",
            "Analytical Engines",
            "GB123",
            "ada@example.com",
            "2023-11-14",
        ] {
            assert!(html.contains(text), "{text}");
        }
        assert!(html.contains("−¥1390.00"));
        let html = render(locale, || {
            view! { <Receipt ctx=ctx(Some(viewer()), None) viewer=viewer() receipt=Ok(None) /> }
        });
        check(&format!("receipt-missing-{}", locale.tag()), &html);
        assert!(html.contains(r#"role="alert""#));
    }
}

#[test]
fn disputes_list_with_a_note_form_each() {
    let disputes = vec![DisputeView {
        id: "d-1".into(),
        order_number: "BN-20261122-7KQ2MX".into(),
        provider: "stripe".into(),
        status: "open".into(),
        reason: "fraudulent".into(),
        amount: "$39.90".into(),
        created_at: 1_700_000_000_000,
        closed_at: None,
        notes: vec![DisputeNoteView {
            author: Some("Grace".into()),
            body: "Sent evidence.".into(),
            created_at: 1_700_000_100_000,
        }],
    }];
    let mut admin = viewer();
    admin.role = "admin".into();
    for locale in Locale::ALL {
        let html = render(locale, || {
            view! { <Disputes ctx=ctx(Some(admin.clone()), None) viewer=admin.clone() disputes=Some(disputes.clone()) /> }
        });
        check(&format!("disputes-{}", locale.tag()), &html);
        assert!(html.contains(&format!(
            r#"action="{}""#,
            locale.path("/admin/disputes/d-1/notes")
        )));
        assert!(html.contains(r#"name="body""#));
        assert!(html.contains("Sent evidence.") && html.contains("Grace"));
        let html = render(locale, || {
            view! { <Disputes ctx=ctx(Some(admin.clone()), None) viewer=admin.clone() disputes=None /> }
        });
        assert!(!html.contains("<form class=\"stack\""));
    }
}
