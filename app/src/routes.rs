//! The page table: every route of the app, each at `/` and under every other locale's prefix,
//! and the document around them.

use crate::components::layout::Layout;
use crate::i18n::Locale;
use crate::pages;
use crate::site::SiteInfo;
#[cfg(feature = "ssr")]
use crate::site::{Theme, request_cookie};
use leptos::prelude::*;
use leptos_meta::provide_meta_context;
use leptos_router::{
    Lazy, ParamSegment, SsrMode, StaticSegment,
    components::{Outlet, ParentRoute, Route, Router, Routes},
};

/// The HTML document around the app; rendered on the server only.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    use leptos::hydration::{AutoReload, HydrationScripts};
    use leptos_meta::MetaTags;
    let parts = use_context::<http::request::Parts>();
    let locale = parts
        .as_ref()
        .map(|p| Locale::split_path(p.uri.path()).0)
        .unwrap_or_default();
    let theme = parts
        .as_ref()
        .and_then(|p| request_cookie(&p.headers, Theme::COOKIE))
        .and_then(Theme::parse);
    let css = format!("/{}/{}.css", options.site_pkg_dir, options.output_name);
    // Where the lazy pages find the split manifest to name their chunks.
    provide_context(options.clone());
    view! {
        <!DOCTYPE html>
        <html lang=locale.tag() data-theme=theme.map(Theme::as_str)>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="stylesheet" href=css />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The application: routes, each available at `/` and under every other locale's prefix.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Router>
            <ProvideLocale />
            <Layout>
                <Routes fallback=|| view! { <pages::errors::ErrorPage status=404 /> }>
                    <ParentRoute path=StaticSegment("zh-CN") view=Outlet>
                        <PageRoutes />
                    </ParentRoute>
                    <PageRoutes />
                </Routes>
            </Layout>
        </Router>
    }
}

/// Fixes the page's locale from the URL and provides it, with [`SiteInfo`], to everything
/// below.
///
/// It renders nothing and stands beside the routes, not around them. While a component
/// wrapped the routes, a page of a lazy chunk loaded directly was hydrated without waiting
/// for its chunk, which panics.
#[component]
fn ProvideLocale() -> impl IntoView {
    let path = leptos_router::hooks::use_location()
        .pathname
        .get_untracked();
    provide_context(Locale::split_path(&path).0);
    if use_context::<SiteInfo>().is_none() {
        provide_context(SiteInfo {
            public_url: browser_origin(),
        });
    }
}

fn browser_origin() -> String {
    #[cfg(feature = "hydrate")]
    {
        if let Some(origin) = web_sys::window().and_then(|w| w.location().origin().ok()) {
            return origin;
        }
    }
    String::new()
}

/// The routes of one locale. Every page renders in `Async` mode: the server waits for its
/// data and sends whole HTML, so forms (the consent banner's on every page among them) work
/// without JavaScript and what the page carries for hydration is complete.
#[component(transparent)]
fn PageRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    let ssr = SsrMode::Async;
    view! {
        <Route path=StaticSegment("") view=pages::landing::LandingPage ssr=ssr.clone() />
        <Route path=StaticSegment("workbench") view={Lazy::<lazy::Workbench>::new()} ssr=ssr.clone() />
        <Route path=StaticSegment("dashboard") view={Lazy::<lazy::Dashboard>::new()} ssr=ssr.clone() />
        <Route path=StaticSegment("sign-in") view={Lazy::<lazy::SignIn>::new()} ssr=ssr.clone() />
        <Route
            path=(StaticSegment("sign-in"), StaticSegment("two-factor"))
            view={Lazy::<lazy::TwoFactorSignIn>::new()}
            ssr=ssr.clone()
        />
        <Route path=StaticSegment("sign-up") view={Lazy::<lazy::SignUp>::new()} ssr=ssr.clone() />
        <Route
            path=(StaticSegment("sign-up"), StaticSegment("complete"))
            view={Lazy::<lazy::CompleteSignUp>::new()}
            ssr=ssr.clone()
        />
        <Route
            path=StaticSegment("forgot-password")
            view={Lazy::<lazy::ForgotPassword>::new()}
            ssr=ssr.clone()
        />
        <Route path=StaticSegment("reset-password") view={Lazy::<lazy::ResetPassword>::new()} ssr=ssr.clone() />
        <Route path=StaticSegment("verify-email") view={Lazy::<lazy::VerifyEmail>::new()} ssr=ssr.clone() />
        <Route
            path=(StaticSegment("settings"), StaticSegment("profile"))
            view={Lazy::<lazy::Profile>::new()}
            ssr=ssr.clone()
        />
        <Route
            path=(StaticSegment("settings"), StaticSegment("security"))
            view={Lazy::<lazy::Security>::new()}
            ssr=ssr.clone()
        />
        <Route
            path=(StaticSegment("terms"), StaticSegment("accept"))
            view={Lazy::<lazy::TermsAccept>::new()}
            ssr=ssr.clone()
        />
        <Route
            path=(StaticSegment("settings"), StaticSegment("privacy"))
            view={Lazy::<lazy::PrivacySettings>::new()}
            ssr=ssr.clone()
        />
        <Route
            path=(StaticSegment("settings"), StaticSegment("billing"))
            view={Lazy::<lazy::Billing>::new()}
            ssr=ssr.clone()
        />
        <Route
            path=(
                StaticSegment("settings"),
                StaticSegment("billing"),
                StaticSegment("orders"),
                ParamSegment("number"),
            )
            view={Lazy::<lazy::Receipt>::new()}
            ssr=ssr.clone()
        />
        <Route
            path=(StaticSegment("settings"), StaticSegment("support"))
            view={Lazy::<lazy::SupportTickets>::new()}
            ssr=ssr.clone()
        />
        <Route
            path=(StaticSegment("settings"), StaticSegment("support"), ParamSegment("id"))
            view={Lazy::<lazy::SupportThread>::new()}
            ssr=ssr.clone()
        />
        <Route path=StaticSegment("support") view={Lazy::<lazy::Support>::new()} ssr=ssr.clone() />
        <Route
            path=(StaticSegment("support"), StaticSegment("confirm"))
            view={Lazy::<lazy::SupportConfirm>::new()}
            ssr=ssr.clone()
        />
        <Route
            path=(StaticSegment("support"), StaticSegment("tickets"), ParamSegment("id"))
            view={Lazy::<lazy::SupportTicket>::new()}
            ssr=ssr.clone()
        />
        <Route path=StaticSegment("pricing") view={Lazy::<lazy::Pricing>::new()} ssr=ssr.clone() />
        <Route path=StaticSegment("privacy") view={Lazy::<lazy::Privacy>::new()} ssr=ssr.clone() />
        <Route
            path=(StaticSegment("privacy"), StaticSegment("requests"))
            view={Lazy::<lazy::PrivacyRequests>::new()}
            ssr=ssr.clone()
        />
        // Before the request route, which would take `verify` for an id.
        <Route
            path=(StaticSegment("privacy"), StaticSegment("requests"), StaticSegment("verify"))
            view={Lazy::<lazy::VerifyPrivacyRequest>::new()}
            ssr=ssr.clone()
        />
        <Route
            path=(StaticSegment("privacy"), StaticSegment("requests"), ParamSegment("id"))
            view={Lazy::<lazy::PrivacyRequestStatus>::new()}
            ssr=ssr.clone()
        />
        <Route path=StaticSegment("terms") view={Lazy::<lazy::Terms>::new()} ssr=ssr.clone() />
        <Route path=StaticSegment("cookies") view={Lazy::<lazy::Cookies>::new()} ssr=ssr.clone() />
        <Route
            path=(StaticSegment("legal"), StaticSegment("subprocessors"))
            view={Lazy::<lazy::Subprocessors>::new()}
            ssr=ssr.clone()
        />
        <Route
            path=(StaticSegment("legal"), ParamSegment("doc"), StaticSegment("versions"))
            view={Lazy::<lazy::LegalVersions>::new()}
            ssr=ssr.clone()
        />
        <Route
            path=(
                StaticSegment("legal"),
                ParamSegment("doc"),
                StaticSegment("versions"),
                ParamSegment("version"),
            )
            view={Lazy::<lazy::LegalVersion>::new()}
            ssr=ssr.clone()
        />
        <Route
            path=(StaticSegment("checkout"), StaticSegment("local"), ParamSegment("number"))
            view={Lazy::<lazy::LocalCheckout>::new()}
            ssr=ssr.clone()
        />
        <Route
            path=(StaticSegment("checkout"), StaticSegment("success"))
            view={Lazy::<lazy::CheckoutSuccess>::new()}
            ssr=ssr.clone()
        />
        <Route
            path=(StaticSegment("checkout"), StaticSegment("cancel"))
            view={Lazy::<lazy::CheckoutCancel>::new()}
            ssr=ssr.clone()
        />
        <Route path=StaticSegment("admin") view={Lazy::<lazy::Admin>::new()} ssr=ssr.clone() />
        <Route
            path=(StaticSegment("admin"), StaticSegment("two-factor"))
            view={Lazy::<lazy::AdminTwoFactor>::new()}
            ssr=ssr.clone()
        />
        <Route
            path=(StaticSegment("admin"), StaticSegment("disputes"))
            view={Lazy::<lazy::Disputes>::new()}
            ssr=ssr
        />
    }
    .into_inner()
}

/// Every page but the landing page is compiled into a WebAssembly chunk of its own
/// (`cargo leptos build --split`): a browser downloads the code of the pages it opens, and the
/// landing page's bundle carries only the shell, the router and the landing page.
mod lazy {
    use crate::pages::{
        admin, checkout, dashboard, forgot_password, legal, pricing, privacy, reset_password,
        settings, sign_in, sign_up, support, terms, verify_email, workbench,
    };
    use leptos::prelude::*;
    use leptos_router::{LazyRoute, lazy_route};

    macro_rules! lazy_pages {
        ($($route:ident => $page:path),* $(,)?) => {$(
            pub struct $route;

            #[lazy_route]
            impl LazyRoute for $route {
                fn data() -> Self {
                    #[cfg(feature = "ssr")]
                    preload::chunks_of(stringify!($route));
                    $route
                }

                fn view(_this: Self) -> AnyView {
                    $page().into_any()
                }
            }
        )*};
    }

    /// On the server: the page's chunks as `<link rel="preload">` in the head, so the browser
    /// fetches them beside the main module instead of after it.
    #[cfg(feature = "ssr")]
    mod preload {
        use leptos::prelude::*;
        use leptos_meta::Link;
        use std::{collections::HashMap, sync::OnceLock};

        /// Which chunks each lazy view needs (`__wasm_split_manifest.json` of the build),
        /// read once; absent for a build without `--split`.
        type Manifest = HashMap<String, Vec<String>>;
        static MANIFEST: OnceLock<Option<Manifest>> = OnceLock::new();

        /// `route` is the route's type name, e.g. `PrivacySettings`; the manifest names its
        /// view `__privacy_settings_view_<hash>`.
        pub(super) fn chunks_of(route: &str) {
            let Some(options) = use_context::<LeptosOptions>() else {
                return;
            };
            let manifest = MANIFEST.get_or_init(|| {
                let path = std::path::Path::new(options.site_root.as_ref())
                    .join(options.site_pkg_dir.as_ref())
                    .join("__wasm_split_manifest.json");
                let text = std::fs::read_to_string(path).ok()?;
                serde_json::from_str(&text).ok()
            });
            let Some(manifest) = manifest else {
                return;
            };
            let prefix = format!("__{}_view_", snake_case(route));
            let Some(chunks) = manifest
                .iter()
                .find(|(view, _)| view.starts_with(&prefix))
                .map(|(_, chunks)| chunks)
            else {
                return;
            };
            let pkg = format!("/{}", options.site_pkg_dir);
            for chunk in chunks {
                // Rendering a `Link` registers it with the page's head (leptos_meta).
                _ = view! {
                    <Link
                        rel="preload"
                        href=format!("{pkg}/{chunk}.wasm")
                        as_="fetch"
                        type_="application/wasm"
                        crossorigin="anonymous"
                    />
                }
                .to_html();
            }
        }

        fn snake_case(name: &str) -> String {
            let mut snake = String::with_capacity(name.len() + 4);
            for (i, c) in name.chars().enumerate() {
                if c.is_ascii_uppercase() && i > 0 {
                    snake.push('_');
                }
                snake.push(c.to_ascii_lowercase());
            }
            snake
        }

        #[cfg(test)]
        mod tests {
            #[test]
            fn route_names_become_the_manifest_names() {
                assert_eq!(super::snake_case("Workbench"), "workbench");
                assert_eq!(
                    super::snake_case("PrivacyRequestStatus"),
                    "privacy_request_status"
                );
            }
        }
    }

    lazy_pages! {
        Workbench => workbench::WorkbenchPage,
        Dashboard => dashboard::DashboardPage,
        SignIn => sign_in::SignInPage,
        TwoFactorSignIn => sign_in::two_factor::TwoFactorSignInPage,
        SignUp => sign_up::SignUpPage,
        CompleteSignUp => sign_up::complete::CompleteSignUpPage,
        ForgotPassword => forgot_password::ForgotPasswordPage,
        ResetPassword => reset_password::ResetPasswordPage,
        VerifyEmail => verify_email::VerifyEmailPage,
        Profile => settings::profile::ProfilePage,
        Security => settings::security::SecurityPage,
        TermsAccept => terms::accept::TermsAcceptPage,
        PrivacySettings => settings::privacy::PrivacySettingsPage,
        Billing => settings::billing::BillingPage,
        Receipt => settings::billing::orders::ReceiptPage,
        SupportTickets => settings::support::SupportTicketsPage,
        SupportThread => settings::support::thread::SupportThreadPage,
        Support => support::SupportPage,
        SupportConfirm => support::confirm::SupportConfirmPage,
        SupportTicket => support::ticket::SupportTicketPage,
        Pricing => pricing::PricingPage,
        Privacy => legal::PrivacyPage,
        PrivacyRequests => privacy::requests::PrivacyRequestsPage,
        VerifyPrivacyRequest => privacy::requests::verify::VerifyPrivacyRequestPage,
        PrivacyRequestStatus => privacy::requests::status::PrivacyRequestStatusPage,
        Terms => legal::TermsPage,
        Cookies => legal::CookiesPage,
        Subprocessors => legal::SubprocessorsPage,
        LegalVersions => legal::versions::LegalVersionsPage,
        LegalVersion => legal::versions::LegalVersionPage,
        LocalCheckout => checkout::local::LocalCheckoutPage,
        CheckoutSuccess => checkout::success::CheckoutSuccessPage,
        CheckoutCancel => checkout::cancel::CheckoutCancelPage,
        Admin => admin::AdminPage,
        AdminTwoFactor => admin::two_factor::AdminTwoFactorPage,
        Disputes => admin::disputes::DisputesPage,
    }
}
