//! The avatar panel: the picture, with forms to upload a new one or remove it.

use crate::components::forms::{Avatar, CsrfField, Field, FormAlert, FormFeedback};
use crate::i18n::{t, use_locale};
use crate::model::{PageContext, Viewer};
use leptos::prelude::*;

#[component]
pub(crate) fn AvatarPanel(ctx: PageContext, viewer: Viewer) -> impl IntoView {
    let locale = use_locale();
    let action = locale.path("/settings/profile/avatar");
    let feedback = FormFeedback::new(&ctx, "avatar");
    let remove = viewer.avatar_url.is_some().then(|| {
        view! {
            <form method="post" action=action.clone() enctype="multipart/form-data">
                <CsrfField token=ctx.csrf.clone() />
                <input type="hidden" name="remove" value="1" />
                <button type="submit" class="button small">
                    {t("avatar-remove")}
                </button>
            </form>
        }
    });
    view! {
        <section class="panel" aria-labelledby="avatar-heading">
            <h2 id="avatar-heading">{t("avatar-heading")}</h2>
            <FormAlert feedback=feedback.clone() />
            <div class="avatar-row">
                <Avatar
                    url=viewer.avatar_url.clone()
                    name=viewer.display_name.clone()
                    size=96
                    alt=t("avatar-alt")
                />
                <div class="avatar-forms">
                    <form
                        class="stack"
                        method="post"
                        action=action.clone()
                        enctype="multipart/form-data"
                    >
                        <CsrfField token=ctx.csrf.clone() />
                        <Field
                            feedback=feedback.clone()
                            name="avatar"
                            label=t("avatar-choose")
                            kind="file"
                            accept="image/png,image/jpeg,image/webp"
                            required=true
                            hint=t("avatar-hint")
                        />
                        <div class="form-actions">
                            <button type="submit" class="button primary small">
                                {t("avatar-upload")}
                            </button>
                        </div>
                    </form>
                    {remove}
                </div>
            </div>
        </section>
    }
    .into_any()
}
