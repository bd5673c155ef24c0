//! One module per page, in folders named after the URL: `/settings/billing` lives in
//! `settings/billing`. Each page owns its view.

pub mod admin;
#[cfg(all(test, feature = "ssr"))]
mod auth_tests;
#[cfg(all(test, feature = "ssr"))]
mod billing_tests;
pub mod checkout;
pub mod dashboard;
pub mod errors;
pub mod forgot_password;
pub mod landing;
pub mod legal;
pub mod pricing;
pub mod privacy;
pub mod reset_password;
pub mod settings;
pub mod sign_in;
pub mod sign_up;
pub mod support;
pub mod terms;
pub mod verify_email;
pub mod workbench;
