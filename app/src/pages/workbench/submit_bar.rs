//! The submit bar: the price, the credits at hand and the button, with why it cannot start.

use super::studio::{Problem, Studio};
use crate::i18n::{t, use_locale};
use crate::model::Allowance;
use leptos::prelude::*;

/// The allowance, the cost, what stands in the way, and the button.
#[component]
pub(super) fn SubmitBar(studio: Studio) -> impl IntoView {
    let locale = use_locale();
    let allowance = move || match studio.allowance.get() {
        Allowance::Guest { remaining, total } => locale.t_args(
            "workbench-allowance-guest",
            &[("remaining", remaining.into()), ("total", total.into())],
        ),
        Allowance::Account { available } => locale.t_args(
            "workbench-allowance-account",
            &[("credits", available.into())],
        ),
    };
    let cost = move || match studio.cost.get() {
        Some(credits) => locale.t_args("workbench-cost", &[("credits", credits.into())]),
        None => t("workbench-cost-unknown"),
    };
    let notice = move || {
        studio.notice.get().map(|text| {
            view! { <span>{text}</span> }
        })
    };
    view! {
        <div class="submit-bar">
            <p class="allowance" id="allowance">
                {allowance}
            </p>
            <p class="cost-line" id="cost-line" aria-live="polite">
                {cost}
            </p>
            <SubmitProblem studio />
            <p class="submit-status" id="submit-status" role="status">
                {notice}
            </p>
            <button
                type="submit"
                id="submit-generation"
                class="button primary large"
                disabled=move || studio.submitting.get()
                aria-busy=move || studio.submitting.get().then_some("true")
            >
                {move || {
                    if studio.submitting.get() {
                        t("workbench-submitting")
                    } else {
                        t("workbench-submit")
                    }
                }}
            </button>
        </div>
    }
    .into_any()
}

/// Why the submit cannot start: a refusal, or too few credits with a way to get more.
#[component]
fn SubmitProblem(studio: Studio) -> impl IntoView {
    let locale = use_locale();
    // The same words the server uses when it refuses for want of credits.
    let (message_key, more_href, more_key) = if studio.signed_in {
        (
            "generation-error-insufficient-credits",
            locale.path("/pricing"),
            "workbench-shortfall-buy",
        )
    } else {
        (
            "generation-error-trial-exhausted",
            locale.path("/sign-up"),
            "workbench-shortfall-sign-up",
        )
    };
    let shortfall = move |required: i64, available: i64| {
        view! {
            <div class="alert error shortfall" role="alert" id="shortfall">
                <p>
                    {locale
                        .t_args(
                            message_key,
                            &[("required", required.into()), ("available", available.into())],
                        )}
                </p>
                <a class="button small primary" href=more_href.clone()>
                    {t(more_key)}
                </a>
            </div>
        }
        .into_any()
    };
    move || match studio.problem.get() {
        Some(Problem::Shortfall {
            required,
            available,
        }) => Some(shortfall(required, available)),
        Some(Problem::Message(message)) => Some(
            view! {
                <div class="alert error" role="alert" id="submit-error">
                    {message}
                </div>
            }
            .into_any(),
        ),
        None => {
            let available = studio.available();
            studio
                .cost
                .get()
                .filter(|required| *required > available)
                .map(|required| shortfall(required, available))
        }
    }
}
