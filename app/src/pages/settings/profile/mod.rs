//! The profile settings (`/settings/profile`): the avatar and the profile form.

mod avatar;
mod form;

use super::{SettingsSection, SettingsShell, SignInPrompt};
use crate::components::forms::{AccountHead, FlashMessages, WithPageContext};
use crate::i18n::t;
use crate::model::PageContext;
use avatar::AvatarPanel;
use form::ProfileForm;
use leptos::prelude::*;

const PROFILE_FORMS: &[&str] = &["profile", "avatar"];

#[component]
pub fn ProfilePage() -> impl IntoView {
    view! {
        <AccountHead title=t("profile-title") />
        <WithPageContext render=|ctx| view! { <Profile ctx /> } />
    }
    .into_any()
}

#[component]
pub(crate) fn Profile(ctx: PageContext) -> impl IntoView {
    let Some(viewer) = ctx.viewer.clone() else {
        return view! { <SignInPrompt /> }.into_any();
    };
    view! {
        <SettingsShell
            viewer=viewer.clone()
            csrf=ctx.csrf.clone()
            section=SettingsSection::Profile
            heading=t("profile-heading")
        >
            <FlashMessages flash=ctx.flash.clone() forms=PROFILE_FORMS />
            <AvatarPanel ctx=ctx.clone() viewer=viewer.clone() />
            <ProfileForm ctx=ctx.clone() viewer=viewer.clone() />
        </SettingsShell>
    }
    .into_any()
}
