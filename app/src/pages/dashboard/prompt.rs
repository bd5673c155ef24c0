//! The prompt box: a plain GET form to the workbench, which starts with the prompt filled
//! in (`/workbench?prompt=…`), with or without JavaScript.

use crate::i18n::{t, use_locale};
use crate::model::MAX_PROMPT_CHARS;
use leptos::prelude::*;

#[component]
pub(super) fn PromptBox() -> impl IntoView {
    let locale = use_locale();
    view! {
        <section class="panel dashboard-prompt" aria-labelledby="dashboard-prompt-heading">
            <h2 id="dashboard-prompt-heading">{t("dashboard-prompt-heading")}</h2>
            <form class="dashboard-prompt-form" method="get" action=locale.path("/workbench")>
                <div class="field">
                    <label for="dashboard-prompt">{t("dashboard-prompt-label")}</label>
                    <textarea
                        id="dashboard-prompt"
                        name="prompt"
                        rows="3"
                        required
                        maxlength=MAX_PROMPT_CHARS
                        placeholder=t("dashboard-prompt-placeholder")
                        aria-describedby="dashboard-prompt-hint"
                    ></textarea>
                    <p class="hint" id="dashboard-prompt-hint">
                        {t("dashboard-prompt-hint")}
                    </p>
                </div>
                <button type="submit" class="button primary">
                    {t("dashboard-prompt-submit")}
                </button>
            </form>
        </section>
    }
    .into_any()
}
