//! The billing details form (name, company, address, tax id) receipts print.

use crate::components::forms::{CsrfField, Field, FormAlert, FormFeedback};
use crate::i18n::{t, use_locale};
use crate::model::{BillingProfileView, PageContext};
use leptos::prelude::*;

#[component]
pub(crate) fn ProfilePanel(ctx: PageContext, profile: BillingProfileView) -> impl IntoView {
    let locale = use_locale();
    let feedback = FormFeedback::new(&ctx, "billing-profile");
    let address = feedback.value_or("address", &profile.address);
    view! {
        <section class="panel" aria-labelledby="billing-profile-heading" id="billing-details">
            <h2 id="billing-profile-heading">{t("billing-profile-heading")}</h2>
            <p class="muted">{t("billing-profile-lead")}</p>
            <form class="stack" method="post" action=locale.path("/settings/billing/profile")>
                <CsrfField token=ctx.csrf.clone() />
                <FormAlert feedback=feedback.clone() />
                <Field
                    feedback=feedback.clone()
                    name="name"
                    label=t("billing-profile-name")
                    autocomplete="name"
                    maxlength=120
                    optional=true
                    value=feedback.value_or("name", &profile.name)
                />
                <Field
                    feedback=feedback.clone()
                    name="company"
                    label=t("billing-profile-company")
                    autocomplete="organization"
                    maxlength=120
                    optional=true
                    value=feedback.value_or("company", &profile.company)
                />
                <div class="field">
                    <label for="billing-profile-address">
                        {t("billing-profile-address")}
                        <span class="optional">{t("form-optional")}</span>
                    </label>
                    <textarea
                        id="billing-profile-address"
                        name="address"
                        rows="4"
                        maxlength="500"
                        autocomplete="street-address"
                    >
                        {address}
                    </textarea>
                </div>
                <Field
                    feedback=feedback.clone()
                    name="tax_id"
                    label=t("billing-profile-tax-id")
                    maxlength=40
                    optional=true
                    value=feedback.value_or("tax_id", &profile.tax_id)
                    hint=t("billing-profile-tax-id-hint")
                />
                <div class="form-actions">
                    <button type="submit" class="button primary">
                        {t("billing-profile-submit")}
                    </button>
                </div>
            </form>
        </section>
    }
    .into_any()
}
