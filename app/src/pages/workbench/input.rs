//! What the form sends: the generation request, read from the fields, and the options a
//! model offers.

use crate::model::ModelOption;

/// A text field's value, trimmed; `None` when empty.
pub(super) fn non_empty(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

/// The seed field: empty for a random seed, else a whole number.
pub(super) fn parse_seed(value: &str) -> Result<Option<u64>, ()> {
    match value.trim() {
        "" => Ok(None),
        digits => digits.parse::<u64>().map(Some).map_err(|_| ()),
    }
}

/// `wanted` when `offered` has it, else the first offered value (else `wanted`).
pub(super) fn pick(offered: &[String], wanted: &str) -> String {
    if offered.iter().any(|o| o == wanted) {
        wanted.to_string()
    } else {
        offered
            .first()
            .cloned()
            .unwrap_or_else(|| wanted.to_string())
    }
}

/// Every value of any of the lists, once, in the order first seen.
pub(super) fn union(lists: impl IntoIterator<Item = Vec<String>>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for value in lists.into_iter().flatten() {
        if !out.contains(&value) {
            out.push(value);
        }
    }
    out
}

pub(super) fn resolutions(model: &ModelOption) -> Vec<String> {
    model.prices.iter().map(|(r, _)| r.clone()).collect()
}

pub(super) fn aspect_ratios(model: &ModelOption) -> Vec<String> {
    model.aspect_ratios.clone()
}

pub(super) fn formats(model: &ModelOption) -> Vec<String> {
    model.formats.clone()
}
