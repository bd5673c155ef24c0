//! The linked sign-in providers, with forms to link and unlink them.

use crate::components::forms::{CsrfField, FormAlert, FormFeedback, provider_name};
use crate::i18n::{t, use_locale};
use crate::model::{IdentityView, PageContext};
use leptos::prelude::*;

#[component]
pub(crate) fn ProvidersPanel(ctx: PageContext, identities: Vec<IdentityView>) -> impl IntoView {
    let locale = use_locale();
    let feedback = FormFeedback::new(&ctx, "identities");
    let unlink_action = locale.path("/settings/security/unlink");
    let linked = identities
        .iter()
        .map(|identity| {
            let name = provider_name(&identity.provider)
                .map(str::to_string)
                .unwrap_or_else(|| identity.provider.clone());
            view! {
                <li>
                    <div>
                        <p class="identity-name">{name.clone()}</p>
                        {identity
                            .email
                            .clone()
                            .map(|email| view! { <p class="muted small">{email}</p> })}
                    </div>
                    <form method="post" action=unlink_action.clone()>
                        <CsrfField token=ctx.csrf.clone() />
                        <input type="hidden" name="provider" value=identity.provider.clone() />
                        <button type="submit" class="button small">
                            {t("security-unlink")}
                            <span class="visually-hidden">" " {name}</span>
                        </button>
                    </form>
                </li>
            }
        })
        .collect_view();
    let available = ctx
        .providers
        .iter()
        .filter(|id| !identities.iter().any(|i| &i.provider == *id))
        .filter_map(|id| provider_name(id).map(|name| (id.clone(), name)))
        .map(|(id, name)| {
            view! {
                <li>
                    <a class="button small" href=format!("/auth/{id}/start?link=1") rel="external">
                        {locale.t_args("security-link-provider", &[("provider", name.into())])}
                    </a>
                </li>
            }
        })
        .collect::<Vec<_>>();
    let password = if ctx.viewer.as_ref().is_some_and(|v| v.has_password) {
        "security-method-password-on"
    } else {
        "security-method-password-off"
    };
    view! {
        <section class="panel" aria-labelledby="providers-heading">
            <h2 id="providers-heading">{t("security-providers-heading")}</h2>
            <p class="muted">{t("security-providers-lead")}</p>
            <FormAlert feedback />
            <ul class="identity-list">
                <li>
                    <div>
                        <p class="identity-name">{t("security-method-password")}</p>
                        <p class="muted small">{t(password)}</p>
                    </div>
                </li>
                {linked}
            </ul>
            {(!available.is_empty()).then(|| view! { <ul class="link-providers">{available}</ul> })}
        </section>
    }
    .into_any()
}
