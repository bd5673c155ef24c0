//! The credits the page shows, kept in step with the tasks it hears about.

use crate::model::Allowance;
#[cfg(any(feature = "hydrate", test))]
use crate::model::TaskView;

/// Whether a task ended without making its image, so its credits went back.
#[cfg(any(feature = "hydrate", test))]
fn returns_credits(status: &str) -> bool {
    matches!(status, "failed" | "cancelled" | "refused")
}

/// Puts news of a task into the list: replaces it by id, or adds it in time order, newest
/// first. Late news that would turn a finished task back into an unfinished one is
/// dropped.
#[cfg(any(feature = "hydrate", test))]
pub(super) fn merge_task(tasks: &mut Vec<TaskView>, task: TaskView) {
    if let Some(known) = tasks.iter_mut().find(|t| t.id == task.id) {
        if !known.is_done() || task.is_done() {
            *known = task;
        }
        return;
    }
    let at = tasks
        .iter()
        .position(|t| t.created_at < task.created_at)
        .unwrap_or(tasks.len());
    tasks.insert(at, task);
}

/// Keeps the credits the page shows in step with the tasks it hears about, between page
/// loads: a task it has not seen before was paid for (unless it already ended without an
/// image), and one it knows to be under way gives its credits back when it fails, is
/// cancelled or is refused.
#[cfg(any(feature = "hydrate", test))]
#[derive(Clone, Debug, Default)]
pub(super) struct Spending {
    pub(super) seen: std::collections::HashSet<String>,
    /// Under way: its credits are held.
    pub(super) held: std::collections::HashSet<String>,
}

#[cfg(any(feature = "hydrate", test))]
impl Spending {
    /// The tasks the page loaded with, whose cost the loaded allowance already reflects.
    pub(super) fn new(tasks: &[TaskView]) -> Self {
        Spending {
            seen: tasks.iter().map(|t| t.id.clone()).collect(),
            held: tasks
                .iter()
                .filter(|t| !t.is_done())
                .map(|t| t.id.clone())
                .collect(),
        }
    }

    /// What `task`'s news changes about the available credits.
    pub(super) fn observe(&mut self, task: &TaskView) -> i64 {
        if self.seen.insert(task.id.clone()) {
            if returns_credits(&task.status) {
                return 0;
            }
            if !task.is_done() {
                self.held.insert(task.id.clone());
            }
            return -task.cost;
        }
        if task.is_done() && self.held.remove(&task.id) && returns_credits(&task.status) {
            return task.cost;
        }
        0
    }
}

/// The credits at hand.
pub(super) fn available(allowance: &Allowance) -> i64 {
    match allowance {
        Allowance::Guest { remaining, .. } => *remaining,
        Allowance::Account { available } => *available,
    }
}

/// Changes the credits at hand by `delta`, never below zero.
#[cfg(any(feature = "hydrate", test))]
pub(super) fn adjust(allowance: &mut Allowance, delta: i64) {
    match allowance {
        Allowance::Guest { remaining, total } => {
            *remaining = (*remaining + delta).clamp(0, (*total).max(0));
        }
        Allowance::Account { available } => *available = (*available + delta).max(0),
    }
}
