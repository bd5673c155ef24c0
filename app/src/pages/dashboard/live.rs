//! The dashboard's tasks kept in step with the live task stream.

use crate::model::{LATEST_RESULTS, TaskView};
#[cfg(feature = "hydrate")]
use leptos::prelude::*;

/// Puts news of a task into the dashboard's lists: a task under way is added (oldest
/// first) or updated; one that ended leaves the list, and when it made images it leads the
/// latest results (at most [`LATEST_RESULTS`]). News of a task already among the results
/// is late (the stream repeats itself after reconnecting) and changes nothing.
pub(super) fn follow_task(running: &mut Vec<TaskView>, latest: &mut Vec<TaskView>, task: TaskView) {
    if latest.iter().any(|t| t.id == task.id) {
        return;
    }
    if !task.is_done() {
        match running.iter_mut().find(|t| t.id == task.id) {
            Some(known) => *known = task,
            None => {
                let at = running
                    .iter()
                    .position(|t| t.created_at > task.created_at)
                    .unwrap_or(running.len());
                running.insert(at, task);
            }
        }
        return;
    }
    running.retain(|t| t.id != task.id);
    if task.status == "succeeded" && !task.outputs.is_empty() {
        latest.insert(0, task);
        latest.truncate(LATEST_RESULTS);
    }
}

/// A task from the stream, into the page's lists; each list notifies only when it changed.
#[cfg(feature = "hydrate")]
pub(super) fn receive(
    running: RwSignal<Vec<TaskView>>,
    latest: RwSignal<Vec<TaskView>>,
    task: TaskView,
) {
    let (Some(mut under_way), Some(mut results)) =
        (running.try_get_untracked(), latest.try_get_untracked())
    else {
        return;
    };
    follow_task(&mut under_way, &mut results, task);
    if running.with_untracked(|now| *now != under_way) {
        running.try_set(under_way);
    }
    if latest.with_untracked(|now| *now != results) {
        latest.try_set(results);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::OutputView;

    fn task(id: &str, status: &str, created_at: i64, outputs: usize) -> TaskView {
        TaskView {
            id: id.into(),
            batch_id: "b".into(),
            status: status.into(),
            progress: (status == "running").then_some(30),
            model_id: "offline".into(),
            model_label: "Offline".into(),
            prompt: "a pear".into(),
            cost: 1,
            error_code: None,
            created_at,
            outputs: (0..outputs)
                .map(|n| OutputView {
                    id: format!("{id}-{n}"),
                    url: format!("/files/{id}-{n}.png"),
                    thumb_url: format!("/files/{id}-{n}.webp"),
                    width: 64,
                    height: 64,
                    content_type: "image/png".into(),
                })
                .collect(),
        }
    }

    fn ids(tasks: &[TaskView]) -> Vec<&str> {
        tasks.iter().map(|t| t.id.as_str()).collect()
    }

    #[test]
    fn tasks_under_way_are_kept_oldest_first_and_updated() {
        let mut running = vec![task("a", "queued", 10, 0)];
        let mut latest = Vec::new();
        follow_task(&mut running, &mut latest, task("c", "queued", 30, 0));
        follow_task(&mut running, &mut latest, task("b", "queued", 20, 0));
        follow_task(&mut running, &mut latest, task("a", "running", 10, 0));
        assert_eq!(ids(&running), ["a", "b", "c"]);
        assert_eq!(running[0].status, "running");
        assert_eq!(running[0].progress, Some(30));
        assert!(latest.is_empty());
    }

    #[test]
    fn finished_tasks_leave_and_results_lead_the_latest() {
        let mut latest: Vec<_> = (0..LATEST_RESULTS)
            .map(|n| task(&format!("old{n}"), "succeeded", n as i64, 1))
            .collect();
        let mut running = vec![task("a", "running", 10, 0), task("b", "running", 20, 0)];
        follow_task(&mut running, &mut latest, task("a", "succeeded", 10, 1));
        follow_task(&mut running, &mut latest, task("b", "failed", 20, 0));
        assert!(running.is_empty());
        assert_eq!(latest.len(), LATEST_RESULTS);
        assert_eq!(ids(&latest[..2]), ["a", "old0"]);
        // The stream repeats itself after reconnecting: nothing moves back.
        follow_task(&mut running, &mut latest, task("a", "running", 10, 0));
        follow_task(&mut running, &mut latest, task("a", "succeeded", 10, 1));
        assert!(running.is_empty());
        assert_eq!(latest.iter().filter(|t| t.id == "a").count(), 1);
        // A task that ended without an image is simply gone.
        follow_task(&mut running, &mut latest, task("c", "cancelled", 40, 0));
        assert!(running.is_empty());
        assert_eq!(latest[0].id, "a");
    }
}
