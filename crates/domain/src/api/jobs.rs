//! R17: bulk work as jobs whose progress and per-row report the page polls.

use super::Page;
use crate::permission::StandardSet;
use crate::rules::Refusal;
use crate::time::UnixTime;
use serde::{Deserialize, Serialize};

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    Deactivate,
    Remove,
    AddToClients,
    ChangeSetInClients,
}

impl JobKind {
    /// The stable stored name.
    pub fn key(self) -> &'static str {
        match self {
            JobKind::Deactivate => "deactivate",
            JobKind::Remove => "remove",
            JobKind::AddToClients => "add_to_clients",
            JobKind::ChangeSetInClients => "change_set_in_clients",
        }
    }

    /// The kind a stored name names.
    pub fn parse(key: &str) -> Option<JobKind> {
        [JobKind::Deactivate, JobKind::Remove, JobKind::AddToClients, JobKind::ChangeSetInClients]
            .into_iter()
            .find(|k| k.key() == key)
    }
}

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Running,
    Done,
    /// Stopped by an error: what was done before is kept and reported.
    Failed,
}

impl JobState {
    /// The stable stored name.
    pub fn key(self) -> &'static str {
        match self {
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "failed",
        }
    }

    /// The state a stored name names.
    pub fn parse(key: &str) -> Option<JobState> {
        [JobState::Running, JobState::Done, JobState::Failed].into_iter().find(|s| s.key() == key)
    }
}

/// A job as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobSummary {
    pub id: i64,
    pub kind: JobKind,
    pub state: JobState,
    /// Rows or clients chosen.
    pub total: u64,
    /// Decided so far (`done + refused`).
    pub processed: u64,
    pub done: u64,
    pub refused: u64,
    /// Who started it.
    pub actor: String,
    /// The employee of a job on many clients.
    pub employee: Option<String>,
    /// The set a job on many clients gives.
    pub permission_set: Option<StandardSet>,
    pub started_at: UnixTime,
    pub finished_at: Option<UnixTime>,
    /// Server time the work took, in milliseconds.
    pub elapsed_ms: Option<i64>,
}

/// One row or client of a job's report: done, or the rule that refused it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobOutcome {
    pub client_id: i64,
    pub crm_name: String,
    pub user_id: i64,
    pub name: String,
    pub refusal: Option<Refusal>,
}

/// Query of `GET …/cam/jobs/{job_id}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobQuery {
    /// Only what was not done.
    #[serde(default)]
    pub refused: Option<bool>,
    #[serde(default)]
    pub page: Option<u32>,
    #[serde(default)]
    pub per_page: Option<u32>,
}

/// A job with a page of its per-row report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobReport {
    pub job: JobSummary,
    pub results: Page<JobOutcome>,
}
