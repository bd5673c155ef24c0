//! Routes in every locale: a page's form posts to the page's own path, with or without
//! the locale prefix (`/sign-in`, `/zh-CN/sign-in`).

use app::i18n::Locale;
use axum::{Router, routing::MethodRouter};

/// Adds a route at a page's path in every locale.
pub trait LocalizedRoutes<S> {
    fn localized(self, page: &str, route: MethodRouter<S>) -> Self;
}

impl<S: Clone + Send + Sync + 'static> LocalizedRoutes<S> for Router<S> {
    fn localized(mut self, page: &str, route: MethodRouter<S>) -> Self {
        for locale in Locale::ALL {
            self = self.route(&locale.path(page), route.clone());
        }
        self
    }
}
