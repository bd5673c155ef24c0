//! The figures `scripts/soak` reports, taken from goose's metrics at the end of the run:
//! requests, statuses, and per endpoint and per transaction the p50, p99 and slowest time.

use goose::metrics::{GooseMetrics, GooseRequestMetricTimingData};
use serde_json::{Value, json};
use std::{collections::BTreeMap, path::Path};

fn times(data: &GooseRequestMetricTimingData) -> Value {
    let ms = |us: u64| (us as f64 / 1000.0 * 100.0).round() / 100.0;
    json!({
        "count": data.counter,
        "p50_ms": ms(data.percentile_us(0.50)),
        "p99_ms": ms(data.percentile_us(0.99)),
        "max_ms": ms(data.maximum_time_us),
    })
}

pub fn write(metrics: &GooseMetrics, path: &Path) -> std::io::Result<()> {
    let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
    let mut endpoints = Vec::new();
    let mut requests = 0;
    let mut failures = 0;
    for (key, request) in &metrics.requests {
        for (status, count) in &request.status_code_counts {
            *statuses.entry(*status).or_default() += count;
        }
        requests += request.success_count + request.fail_count;
        failures += request.fail_count;
        let mut entry = times(&request.raw_data);
        entry["endpoint"] = json!(key);
        entry["failures"] = json!(request.fail_count);
        entry["statuses"] = json!(
            request
                .status_code_counts
                .iter()
                .map(|(s, n)| (s.to_string(), *n))
                .collect::<BTreeMap<_, _>>()
        );
        endpoints.push(entry);
    }
    endpoints.sort_by(|a, b| a["endpoint"].as_str().cmp(&b["endpoint"].as_str()));
    let transactions: Vec<Value> = metrics
        .transactions
        .iter()
        .flatten()
        .map(|t| {
            let mut entry = times(&t.run_times);
            entry["transaction"] = json!(t.transaction_name.name_for_transaction());
            entry["failures"] = json!(t.fail_count);
            entry
        })
        .collect();
    let transaction_errors: Vec<Value> = metrics
        .transaction_errors
        .values()
        .map(|e| json!({ "transaction": e.transaction_name, "error": e.error, "occurrences": e.occurrences }))
        .collect();
    let errors: Vec<Value> = metrics
        .errors
        .values()
        .map(|e| json!({ "request": e.name, "error": e.error, "occurrences": e.occurrences }))
        .collect();
    let summary = json!({
        "users": metrics.maximum_users,
        "duration_s": metrics.duration,
        "requests": requests,
        "failed_requests": failures,
        // Status 0: no answer at all (a refused or reset connection, a timeout).
        "statuses": statuses.iter().map(|(s, n)| (s.to_string(), *n)).collect::<BTreeMap<_, _>>(),
        "status_5xx": statuses.range(500..600).map(|(_, n)| n).sum::<usize>(),
        "endpoints": endpoints,
        "transactions": transactions,
        "transaction_errors": transaction_errors,
        "request_errors": errors,
    });
    std::fs::write(path, serde_json::to_string_pretty(&summary)?)
}
