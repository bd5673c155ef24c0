//! `domain`'s integration tests: what needs the local peers of `testkit`, which links this
//! crate's library build (the unit tests are a build of their own).

mod email;
mod providers;
