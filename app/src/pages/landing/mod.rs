//! The landing page: what banana nano does, how, examples, prices and answers.

use crate::components::page_meta::PageMeta;
use crate::i18n::{t, use_locale};
use leptos::prelude::*;

/// The example images shipped in `public/gallery/`, each drawn for this page; the number
/// picks its caption from the locale files (`gallery-<n>-caption`).
const GALLERY: [(&str, u8); 6] = [
    ("banana-astronaut", 1),
    ("tea-house", 2),
    ("ceramic-mug", 3),
    ("portrait-relight", 4),
    ("reading-room", 5),
    ("jazz-poster", 6),
];

const FAQ_COUNT: usize = 6;

#[component]
pub fn LandingPage() -> impl IntoView {
    view! {
        <PageMeta title=t("landing-title") description=t("landing-description") page="/" />
        <Hero />
        <HowItWorks />
        <Gallery />
        <Features />
        <PricingTeaser />
        <FaqSection />
        <FinalCta />
    }
}

/// The opening: what banana nano does, the way in, and a picture made with it.
#[component]
fn Hero() -> impl IntoView {
    let locale = use_locale();
    let href = move |page: &str| locale.path(page);
    view! {
        <section class="hero" aria-labelledby="hero-title">
            <div class="container hero-grid">
                <div class="hero-copy">
                    <p class="eyebrow">{t("hero-eyebrow")}</p>
                    <h1 id="hero-title">{t("hero-title")}</h1>
                    <p class="lead">{t("hero-lead")}</p>
                    <div class="cta-row">
                        <a class="button primary large" href=href("/workbench")>
                            {t("hero-cta")}
                        </a>
                        <a class="button large" href=href("/pricing")>
                            {t("hero-secondary")}
                        </a>
                    </div>
                    <p class="muted small">{t("hero-note")}</p>
                </div>
                <figure class="hero-visual">
                    <img
                        src="/gallery/banana-astronaut.svg"
                        width="640"
                        height="480"
                        alt=t("gallery-1-caption")
                        fetchpriority="high"
                    />
                    <figcaption>
                        <span class="prompt-chip">{t("hero-visual-prompt")}</span>
                    </figcaption>
                </figure>
            </div>
        </section>
    }
}

/// How it works, in three steps.
#[component]
fn HowItWorks() -> impl IntoView {
    view! {
        <section class="section" aria-labelledby="how-title">
            <div class="container">
                <h2 id="how-title">{t("how-title")}</h2>
                <ol class="steps">
                    {(1..=3)
                        .map(|n| {
                            view! {
                                <li class="step">
                                    <span class="step-number" aria-hidden="true">{n}</span>
                                    <h3>{t(&format!("how-{n}-title"))}</h3>
                                    <p>{t(&format!("how-{n}-body"))}</p>
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
            </div>
        </section>
    }
}

/// Example pictures, each with its caption.
#[component]
fn Gallery() -> impl IntoView {
    view! {
        <section class="section alt" aria-labelledby="gallery-title">
            <div class="container">
                <h2 id="gallery-title">{t("gallery-title")}</h2>
                <p class="section-lead">{t("gallery-lead")}</p>
                <ul class="gallery">
                    {GALLERY
                        .into_iter()
                        .map(|(name, n)| {
                            let caption = t(&format!("gallery-{n}-caption"));
                            view! {
                                <li>
                                    <figure>
                                        <img
                                            src=format!("/gallery/{name}.svg")
                                            width="640"
                                            height="480"
                                            loading="lazy"
                                            decoding="async"
                                            alt=caption.clone()
                                        />
                                        <figcaption>{caption}</figcaption>
                                    </figure>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </div>
        </section>
    }
}

/// What the workbench can do.
#[component]
fn Features() -> impl IntoView {
    view! {
        <section class="section" aria-labelledby="features-title">
            <div class="container">
                <h2 id="features-title">{t("features-title")}</h2>
                <ul class="features">
                    {(1..=4)
                        .map(|n| {
                            view! {
                                <li class="card">
                                    <h3>{t(&format!("feature-{n}-title"))}</h3>
                                    <p>{t(&format!("feature-{n}-body"))}</p>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </div>
        </section>
    }
}

/// The three ways to pay, and the way to the prices.
#[component]
fn PricingTeaser() -> impl IntoView {
    let locale = use_locale();
    let href = move |page: &str| locale.path(page);
    view! {
        <section class="section alt" aria-labelledby="pricing-title">
            <div class="container">
                <h2 id="pricing-title">{t("pricing-teaser-title")}</h2>
                <p class="section-lead">{t("pricing-teaser-lead")}</p>
                <ul class="pricing-teaser">
                    {["free", "packs", "plans"]
                        .into_iter()
                        .map(|tier| {
                            view! {
                                <li class="card">
                                    <h3>{t(&format!("pricing-{tier}-title"))}</h3>
                                    <p>{t(&format!("pricing-{tier}-body"))}</p>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <p class="center">
                    <a class="button primary" href=href("/pricing")>
                        {t("pricing-teaser-cta")}
                    </a>
                </p>
            </div>
        </section>
    }
}

/// Questions and answers.
#[component]
fn FaqSection() -> impl IntoView {
    view! {
        <section class="section" aria-labelledby="faq-title">
            <div class="container narrow">
                <h2 id="faq-title">{t("faq-title")}</h2>
                <Faq />
            </div>
        </section>
    }
}

/// The last call to try it.
#[component]
fn FinalCta() -> impl IntoView {
    let locale = use_locale();
    let href = move |page: &str| locale.path(page);
    view! {
        <section class="section final-cta" aria-labelledby="final-title">
            <div class="container center">
                <h2 id="final-title">{t("final-title")}</h2>
                <p class="section-lead">{t("final-lead")}</p>
                <a class="button primary large" href=href("/workbench")>
                    {t("hero-cta")}
                </a>
            </div>
        </section>
    }
}

/// Questions and answers as native `<details>`: without JavaScript every question opens
/// on its own and the first is open; once hydrated, opening one closes the others.
#[component]
fn Faq() -> impl IntoView {
    let open = RwSignal::new(Some(0usize));
    let items = (0..FAQ_COUNT)
        .map(|i| {
            let n = i + 1;
            let on_toggle = move |ev: leptos::ev::Event| {
                let details = event_target::<web_sys::HtmlDetailsElement>(&ev);
                if details.open() {
                    open.set(Some(i));
                } else if open.get_untracked() == Some(i) {
                    open.set(None);
                }
            };
            view! {
                <details class="faq-item" open=move || open.get() == Some(i) on:toggle=on_toggle>
                    <summary>{t(&format!("faq-{n}-q"))}</summary>
                    <div class="faq-answer">
                        <p>{t(&format!("faq-{n}-a"))}</p>
                    </div>
                </details>
            }
        })
        .collect_view();
    view! { <div class="faq">{items}</div> }
}
