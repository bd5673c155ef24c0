//! The model picker: one card per model with what it can do and what it costs.

use super::studio::Studio;
use crate::i18n::{Locale, t, use_locale};
use crate::model::ModelOption;
use leptos::prelude::*;

/// The models as radio cards, each with its prices per resolution and what it can do.
#[component]
pub(super) fn ModelPicker(studio: Studio, initial: String) -> impl IntoView {
    let locale = use_locale();
    let cards = studio.models.with_value(|models| {
        models
            .iter()
            .map(|model| {
                let id = model.id.clone();
                let input_id = format!("model-{id}");
                let prices = model_prices(model, locale);
                let facts = model_facts(model, locale);
                let checked = model.id == initial;
                let value = id.clone();
                let label_for = input_id.clone();
                view! {
                    <label class="model-card" for=label_for>
                        <input
                            type="radio"
                            name="model"
                            id=input_id
                            value=value
                            checked=checked
                            on:change=move |_| studio.choices.model.set(id.clone())
                        />
                        <span class="model-card-body">
                            <span class="model-name">
                                {studio.model_name(&model.id, &model.label)}
                                {model
                                    .offline
                                    .then(|| {
                                        view! {
                                            " "
                                            <span class="badge neutral">
                                                {t("workbench-model-not-ai")}
                                            </span>
                                        }
                                    })}
                            </span>
                            <span class="model-prices">{prices}</span>
                            <span class="model-facts">{facts}</span>
                            {model
                                .offline
                                .then(|| {
                                    view! {
                                        <span class="model-hint">
                                            {t("workbench-model-offline-hint")}
                                        </span>
                                    }
                                })}
                        </span>
                    </label>
                }
            })
            .collect_view()
    });
    view! {
        <fieldset class="model-picker">
            <legend>{t("workbench-model-legend")}</legend>
            <div class="model-cards">{cards}</div>
        </fieldset>
    }
    .into_any()
}

/// What a model costs at each resolution: "1K: 2 credits · 2K: 4 credits".
fn model_prices(model: &ModelOption, locale: Locale) -> String {
    model
        .prices
        .iter()
        .map(|(resolution, credits)| {
            locale.t_args(
                "workbench-model-price",
                &[
                    ("resolution", resolution.clone().into()),
                    ("credits", (*credits).into()),
                ],
            )
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// What a model can do: how many references it takes, and whether it edits with a mask.
fn model_facts(model: &ModelOption, locale: Locale) -> String {
    let mut facts = vec![locale.t_args(
        "workbench-model-references",
        &[("count", model.max_references.into())],
    )];
    if model.mask {
        facts.push(t("workbench-model-mask"));
    }
    facts.join(" · ")
}
