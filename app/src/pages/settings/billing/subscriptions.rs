//! The subscriptions panel: each plan's state, with cancel and portal forms.

use crate::components::billing::{SUBSCRIPTION_STATUSES, label, product_name, provider_label};
use crate::components::forms::CsrfField;
use crate::components::time::UtcTime;
use crate::i18n::{t, use_locale};
use crate::model::{PageContext, SubscriptionView};
use leptos::prelude::*;

/// Whether a local subscription can still be cancelled here.
fn cancellable_locally(subscription: &SubscriptionView) -> bool {
    subscription.provider == "local"
        && !subscription.cancel_at_period_end
        && !matches!(subscription.status.as_str(), "cancelled" | "ended")
}

#[component]
pub(crate) fn SubscriptionsPanel(
    ctx: PageContext,
    subscriptions: Vec<SubscriptionView>,
    portal: bool,
) -> impl IntoView {
    let locale = use_locale();
    let items = subscriptions
        .iter()
        .map(|sub| view! { <SubscriptionItem csrf=ctx.csrf.clone() sub=sub.clone() /> })
        .collect_view();
    let empty = subscriptions.is_empty().then(|| {
        view! {
            <p class="muted">
                {t("billing-subscriptions-empty")} " "
                <a href=locale.path("/pricing")>{t("billing-see-plans")}</a>
            </p>
        }
    });
    let portal = portal.then(|| {
        view! {
            <form class="inline-form" method="post" action=locale.path("/settings/billing/portal")>
                <CsrfField token=ctx.csrf.clone() />
                <p class="hint" id="portal-hint">
                    {t("billing-portal-hint")}
                </p>
                <div class="form-actions">
                    <button type="submit" class="button" aria-describedby="portal-hint">
                        {t("billing-portal")}
                    </button>
                </div>
            </form>
        }
    });
    view! {
        <section class="panel" aria-labelledby="subscriptions-heading" id="subscriptions">
            <h2 id="subscriptions-heading">{t("billing-subscriptions-heading")}</h2>
            {empty}
            {(!subscriptions.is_empty()).then(|| view! { <ul class="identity-list">{items}</ul> })}
            {portal}
        </section>
    }
    .into_any()
}

/// One subscription: its plan, state, period and provider, and a cancel form when it can
/// be cancelled here.
#[component]
fn SubscriptionItem(csrf: String, sub: SubscriptionView) -> impl IntoView {
    let locale = use_locale();
    let sub = &sub;
    let name = product_name(locale, &sub.product_key, sub.credits);
    let badge = if sub.status == "active" || sub.status == "trialing" {
        "badge ok"
    } else if sub.status == "past_due" || sub.status == "unpaid" {
        "badge bad"
    } else {
        "badge neutral"
    };
    let ended = matches!(sub.status.as_str(), "cancelled" | "ended");
    let period = sub.period_end.map(|end| {
        let key = if ended {
            "billing-subscription-ended"
        } else if sub.cancel_at_period_end {
            "billing-subscription-ends"
        } else {
            "billing-subscription-renews"
        };
        view! {
            <p class="muted small">
                {t(key)} " " <UtcTime ms=end />
            </p>
        }
    });
    let cancel = cancellable_locally(sub).then(|| {
        let action = locale.path(&format!(
            "/settings/billing/subscriptions/{}/cancel",
            sub.id
        ));
        view! {
            <form method="post" action=action>
                <CsrfField token=csrf.clone() />
                <button type="submit" class="button small danger">
                    {t("billing-subscription-cancel")}
                    <span class="visually-hidden">" " {name.clone()}</span>
                </button>
            </form>
        }
    });
    view! {
        <li>
            <div>
                <p class="identity-name">
                    {name.clone()} " "
                    <span class=badge>
                        {label("billing-subscription-status", SUBSCRIPTION_STATUSES, &sub.status)}
                    </span>
                    {(sub.cancel_at_period_end && !ended)
                        .then(|| {
                            view! {
                                " "
                                <span class="badge warn">
                                    {t("billing-subscription-cancelling")}
                                </span>
                            }
                        })}
                </p>
                {period}
                <p class="muted small">
                    {t("billing-subscription-via")} " " {provider_label(&sub.provider)}
                </p>
            </div>
            {cancel}
        </li>
    }
}
