//! Prometheus metrics at `/metrics`: request counts and latency histograms by route, and the
//! projections' failures and lag behind the event log.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use projections::read::progress;

use crate::app::App;

const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

#[derive(Default, Clone)]
struct Series {
    count: u64,
    sum: f64,
    buckets: [u64; BUCKETS.len()],
}

/// Request statistics, keyed by (method, route template, status).
#[derive(Default)]
pub struct HttpMetrics {
    series: Mutex<BTreeMap<(String, String, u16), Series>>,
}

impl HttpMetrics {
    fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let mut map = self.series.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let s = map.entry((method.to_owned(), route.to_owned(), status)).or_default();
        s.count += 1;
        s.sum += seconds;
        for (i, le) in BUCKETS.iter().enumerate() {
            if seconds <= *le {
                s.buckets[i] += 1;
            }
        }
    }
}

/// Middleware (after routing, so the route template is known) that times every request.
pub async fn track(State(metrics): State<Arc<HttpMetrics>>, req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().map_or_else(|| "unmatched".to_owned(), |m| m.as_str().to_owned());
    let method = req.method().as_str().to_owned();
    let started = Instant::now();
    let res = next.run(req).await;
    metrics.observe(&method, &route, res.status().as_u16(), started.elapsed().as_secs_f64());
    res
}

/// Whether `headers` carry `Authorization: Bearer <expected>` (compared in constant time).
pub fn bearer_matches(headers: &axum::http::HeaderMap, expected: &str) -> bool {
    let presented = headers.get(axum::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).unwrap_or_default();
    aggregates::common::constant_time_eq(presented.as_bytes(), expected.as_bytes())
}

/// `GET /metrics` in the Prometheus text format.
#[utoipa::path(get, path = "/metrics", tag = "operations", responses((status = 200, description = "Prometheus text format 0.0.4", body = String, content_type = "text/plain")))]
pub async fn render(State((app, metrics)): State<(Arc<App>, Arc<HttpMetrics>)>) -> Response {
    let mut out = String::new();
    out.push_str("# HELP authnode_http_requests_total HTTP requests by route and status.\n# TYPE authnode_http_requests_total counter\n");
    let series = metrics.series.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
    for ((method, route, status), s) in &series {
        let _ = writeln!(out, "authnode_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {}", s.count);
    }
    out.push_str("# HELP authnode_http_request_duration_seconds HTTP request latency.\n# TYPE authnode_http_request_duration_seconds histogram\n");
    for ((method, route, status), s) in &series {
        let labels = format!("method=\"{method}\",route=\"{route}\",status=\"{status}\"");
        for (i, le) in BUCKETS.iter().enumerate() {
            let _ = writeln!(out, "authnode_http_request_duration_seconds_bucket{{{labels},le=\"{le}\"}} {}", s.buckets[i]);
        }
        let _ = writeln!(out, "authnode_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}", s.count);
        let _ = writeln!(out, "authnode_http_request_duration_seconds_sum{{{labels}}} {}", s.sum);
        let _ = writeln!(out, "authnode_http_request_duration_seconds_count{{{labels}}} {}", s.count);
    }
    let conflicts = app.command_conflicts.load(std::sync::atomic::Ordering::Relaxed);
    let _ = writeln!(
        out,
        "# HELP authnode_command_conflicts_total Commands decided again after a concurrent write to their aggregate.\n# TYPE authnode_command_conflicts_total counter\nauthnode_command_conflicts_total {conflicts}"
    );
    let failures = app.projection_failures.load(std::sync::atomic::Ordering::Relaxed);
    let _ = writeln!(
        out,
        "# HELP authnode_projection_failures_total Failed projection catch-ups.\n# TYPE authnode_projection_failures_total counter\nauthnode_projection_failures_total {failures}"
    );
    // Left out while the database is down (waiting at most a second for it): the rest still
    // tells what this process saw.
    let from_db = tokio::time::timeout(std::time::Duration::from_secs(1), async {
        tokio::join!(progress::log_head(&app.db.pool), progress::slowest_checkpoint(&app.db.pool))
    })
    .await;
    if let Ok((Ok(head), Ok(low))) = from_db {
        let _ = writeln!(out, "# HELP authnode_events_total Events in the log.\n# TYPE authnode_events_total counter\nauthnode_events_total {head}");
        let _ = writeln!(
            out,
            "# HELP authnode_projection_lag_events Events not yet applied by the slowest projection.\n# TYPE authnode_projection_lag_events gauge\nauthnode_projection_lag_events {}",
            head - low
        );
    }
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], out).into_response()
}
