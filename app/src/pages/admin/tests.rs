//! Unit tests of the admin overview's helpers.

use super::short_id;

#[test]
fn ids_shorten_to_their_random_end() {
    assert_eq!(
        short_id("01936a3e-7c2b-7def-8a12-3456789abcde"),
        "…789abcde"
    );
    assert_eq!(short_id("abc"), "abc");
}
