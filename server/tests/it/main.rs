//! The server's integration tests, one module per area, in one binary. Database tests run
//! on SQLite and, when `TEST_DATABASE_URL` is set, on PostgreSQL (`testkit::db_test!`).

mod support;

mod accounts;
mod architecture;
mod billing;
mod cli;
mod dashboard;
mod generation;
mod hardening;
mod http;
mod legal;
mod logs;
mod privacy_consent;
mod privacy_requests;
mod privacy_self_service;
mod privacy_sweep;
mod scale_out;
mod shell;
mod support_tickets;
