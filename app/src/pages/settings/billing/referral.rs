//! The referral link and what it brought.

use crate::i18n::{t, use_locale};
use crate::model::ReferralView;
use leptos::prelude::*;

#[component]
pub(crate) fn ReferralPanel(referral: ReferralView) -> impl IntoView {
    let locale = use_locale();
    let stats = locale.t_args(
        "billing-referral-stats",
        &[
            ("referred", referral.referred.into()),
            ("rewarded", referral.rewarded.into()),
        ],
    );
    let bonus = (referral.referrer_bonus > 0 || referral.referred_bonus > 0).then(|| {
        view! {
            <p>
                {locale
                    .t_args(
                        "billing-referral-bonus",
                        &[
                            ("mine", referral.referrer_bonus.into()),
                            ("theirs", referral.referred_bonus.into()),
                        ],
                    )}
            </p>
        }
    });
    view! {
        <section class="panel" aria-labelledby="referral-heading" id="referral">
            <h2 id="referral-heading">{t("billing-referral-heading")}</h2>
            {bonus}
            <div class="field referral-link">
                <label for="referral-link">{t("billing-referral-link")}</label>
                <input
                    id="referral-link"
                    type="text"
                    readonly
                    value=referral.link
                    data-testid="referral-link"
                />
            </div>
            <p class="muted small">{stats}</p>
        </section>
    }
    .into_any()
}
