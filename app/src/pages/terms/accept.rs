//! /terms/accept: shown after signing in when a material change to the terms was published
//! since the person last accepted them. They read the new version and accept it to go on,
//! or sign out.

use crate::components::forms::{AccountHead, CsrfField, FormAlert, FormFeedback, WithPageContext};
use crate::i18n::{t, use_locale};
use crate::model::PageContext;
use crate::pages::settings::SignInPrompt;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn TermsAcceptPage() -> impl IntoView {
    view! {
        <AccountHead title=t("terms-accept-title") />
        <WithPageContext render=|ctx| view! { <TermsAccept ctx /> } />
    }
    .into_any()
}

#[component]
fn TermsAccept(ctx: PageContext) -> impl IntoView {
    if ctx.viewer.is_none() {
        return view! { <SignInPrompt /> }.into_any();
    }
    let locale = use_locale();
    let to = use_query_map()
        .get_untracked()
        .get("to")
        .filter(|to| to.starts_with('/') && !to.starts_with("//"))
        .unwrap_or_else(|| locale.path("/workbench"));
    let feedback = FormFeedback::new(&ctx, "terms-accept");
    view! {
        <div class="auth-page">
            <section class="auth-card" aria-labelledby="terms-accept-heading">
                <h1 id="terms-accept-heading">{t("terms-accept-heading")}</h1>
                <FormAlert feedback=feedback />
                <p class="lead">{t("terms-accept-body")}</p>
                <p>
                    <a href=locale.path("/terms")>{t("terms-accept-read")}</a>
                    " · "
                    <a href=locale.path("/legal/terms/versions")>{t("terms-accept-versions")}</a>
                </p>
                <form class="stack" method="post" action=locale.path("/terms/accept")>
                    <CsrfField token=ctx.csrf.clone() />
                    <input type="hidden" name="to" value=to />
                    <label class="check">
                        <input type="checkbox" name="accept" value="on" required=true />
                        <span>{t("terms-accept-checkbox")}</span>
                    </label>
                    <button type="submit" class="button primary block">
                        {t("terms-accept-button")}
                    </button>
                </form>
                <form method="post" action="/sign-out">
                    <CsrfField token=ctx.csrf.clone() />
                    <button type="submit" class="button block">{t("terms-accept-decline")}</button>
                </form>
            </section>
        </div>
    }
    .into_any()
}
