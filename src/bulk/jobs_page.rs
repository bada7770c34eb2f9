//! Client Access Manager > **Bulk work** (R17): the partner's latest jobs,
//! and one job's page: its progress while it runs (polled, so the page can
//! be left and found again), then its per-row report with counts that add
//! up to the selection.

use super::review_step::outcome;
use crate::api;
use crate::format;
use crate::state::list_query::{use_account_id, use_id_param};
use crate::state::read::read;
use crate::widgets::InAccount;
use crate::widgets::{Loaded, Pager, Shell};
use domain::api::{JobKind, JobOutcome, JobReport, JobState, JobSummary, MembershipSummary};
use leptos::prelude::*;
use std::time::Duration;

/// How a job is named on its pages.
fn job_title(t: &'static crate::i18n::Strings, j: &JobSummary) -> String {
    let employee = j.employee.clone().unwrap_or_default();
    match j.kind {
        JobKind::Deactivate => t.job_deactivate.to_string(),
        JobKind::Remove => t.job_remove.to_string(),
        JobKind::AddToClients => t.job_add_to_clients(employee),
        JobKind::ChangeSetInClients => t.job_change_set(employee),
    }
}

/// A job's state; a finished job that left rows undone is amber, with their count.
fn state_pill(t: &'static crate::i18n::Strings, s: JobState, refused: u64) -> AnyView {
    let (class, label) = match s {
        JobState::Running => ("pill pill-info", t.job_running.to_string()),
        JobState::Done if refused > 0 => ("pill pill-warn", t.job_done_refused(refused)),
        JobState::Done => ("pill pill-ok", t.job_done.to_string()),
        JobState::Failed => ("pill pill-warn", t.job_failed.to_string()),
    };
    view! { <span class=class>{label}</span> }.into_any()
}

/// `/accounts/:id/client-access-manager/jobs`: the partner's latest jobs.
#[component]
pub fn JobsPage() -> impl IntoView {
    let t = crate::i18n::t();
    let account_id = use_account_id();
    let jobs = read(move || {
        let id = account_id.get().unwrap_or_default();
        async move { api::review::jobs(id).await }
    });
    view! {
        <Shell>
            <InAccount content={move |m: MembershipSummary| {
                let id = m.account_id;
                let base = format!("/accounts/{id}/client-access-manager");
                view! {
                    <section class="page">
                        <nav class="breadcrumbs" aria-label=t.breadcrumb>
                            <a href=format!("{base}/review")>{"← "}{t.tab_review}</a>
                        </nav>
                        <header class="page-header">
                            <div>
                                <h1>{t.bulk_work}</h1>
                                <p class="subtitle">{m.account_name.clone()}</p>
                            </div>
                        </header>
                        <Loaded data=jobs content={move |list: Vec<JobSummary>| {
                            if list.is_empty() {
                                return view! { <p class="notice">{t.no_jobs}</p> }.into_any();
                            }
                            let base = base.clone();
                            view! {
                                <div class="table-wrap">
                                    <table class="data-table" aria-label=t.bulk_work>
                                        <thead><tr>
                                            <th scope="col">{t.col_work}</th>
                                            <th scope="col">{t.col_status}</th>
                                            <th scope="col" class="num">{t.bulk_done_count}</th>
                                            <th scope="col" class="num">{t.bulk_refused}</th>
                                            <th scope="col">{t.col_started}</th>
                                        </tr></thead>
                                        <tbody>
                                            {list.into_iter().map(|j| view! {
                                                <tr>
                                                    <td><a class="cell-title" href=format!("{base}/jobs/{}", j.id)>{job_title(t, &j)}</a>
                                                        <div class="cell-sub">{j.actor.clone()}</div></td>
                                                    <td data-label=t.col_status>{state_pill(t, j.state, j.refused)}</td>
                                                    <td class="num" data-label=t.bulk_done_count>{j.done}</td>
                                                    <td class="num" data-label=t.bulk_refused>{j.refused}</td>
                                                    <td data-label=t.col_started>{format::date_time(j.started_at)}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }
                            .into_any()
                        }}/>
                    </section>
                }
                .into_any()
            }}/>
        </Shell>
    }
}

/// `/accounts/:id/client-access-manager/jobs/:job_id`: one job.
#[component]
pub fn JobPage() -> impl IntoView {
    let t = crate::i18n::t();
    let account_id = use_account_id();
    let job_id = use_id_param("job_id");
    let refused_only = RwSignal::new(false);
    let page = RwSignal::new(1u32);
    let report = read(move || {
        let (id, job, refused, page) =
            (account_id.get().unwrap_or_default(), job_id.get().unwrap_or_default(), refused_only.get(), page.get());
        async move { api::review::job(id, job, refused, page).await }
    });
    // While the job runs, read it again 700 ms after each answer (not once
    // the page is gone: the timer then finds the read disposed).
    let alive = RwSignal::new(true);
    Effect::new(move |_| {
        let running = report.get().and_then(Result::ok).is_some_and(|r| r.job.state == JobState::Running);
        if running {
            set_timeout(
                move || {
                    if alive.try_get_untracked() == Some(true) {
                        report.refetch();
                    }
                },
                Duration::from_millis(700),
            );
        }
    });
    let on_page = Callback::new(move |p: u32| page.set(p));
    view! {
        <Shell>
            <InAccount content={move |m: MembershipSummary| {
                let base = format!("/accounts/{}/client-access-manager", m.account_id);
                let jobs_href = format!("{base}/jobs");
                view! {
                    <section class="page">
                        <Loaded data=report content={move |r: JobReport| {
                            let j = r.job.clone();
                            let pct = (j.processed * 100).checked_div(j.total).unwrap_or(100);
                            let rows = r.results.rows.clone();
                            let pages = r.results.page_count();
                            view! {
                                <nav class="breadcrumbs" aria-label=t.breadcrumb>
                                    <a href=jobs_href.clone()>{"← "}{t.bulk_work}</a>
                                </nav>
                                <header class="page-header">
                                    <div>
                                        <h1>{job_title(t, &j)}</h1>
                                        <p class="subtitle">{t.job_started_by(j.actor.clone(), format::date_time(j.started_at))}</p>
                                    </div>
                                    <div class="header-actions">{state_pill(t, j.state, j.refused)}</div>
                                </header>
                                <section class="job-progress" aria-label=t.progress>
                                    <progress max=j.total.to_string() value=j.processed.to_string() aria-label=t.progress></progress>
                                    <p aria-live="polite">{t.progress_of(j.processed, j.total)} " · " {format!("{pct} %")}</p>
                                    {(j.state == JobState::Running).then(|| view! { <p class="hint">{t.job_leave_hint}</p> })}
                                </section>
                                <dl class="counts" aria-label=t.summary>
                                    <div><dt>{t.bulk_chosen}</dt><dd>{j.total}</dd></div>
                                    <div><dt>{t.bulk_done_count}</dt><dd>{j.done}</dd></div>
                                    <div><dt>{t.bulk_refused}</dt><dd>{j.refused}</dd></div>
                                    {(j.state != JobState::Running).then(|| view! { <div><dt>{t.bulk_not_reached}</dt><dd>{j.total - j.processed}</dd></div> })}
                                </dl>
                                {(j.state == JobState::Failed).then(|| view! { <p class="form-error" role="alert">{t.job_failed_text}</p> })}
                                <label class="filter-check">
                                    <input type="checkbox" prop:checked=move || refused_only.get()
                                        on:change=move |ev| { page.set(1); refused_only.set(event_target_checked(&ev)); }/>
                                    {t.only_not_done}
                                </label>
                                <div class="table-wrap">
                                    <table class="data-table" aria-label=t.job_report>
                                        <thead><tr>
                                            <th scope="col">{t.col_client}</th>
                                            <th scope="col">{t.col_employee}</th>
                                            <th scope="col">{t.col_outcome}</th>
                                        </tr></thead>
                                        <tbody>
                                            {if rows.is_empty() {
                                                view! { <tr class="empty-row"><td colspan="3">{t.no_results_yet}</td></tr> }.into_any()
                                            } else {
                                                rows.into_iter().map(|o: JobOutcome| {
                                                    let result = outcome(o.refusal.as_ref(), t.job_done_row, None);
                                                    let unknown = |s: String| if s.is_empty() { t.unknown_row.to_string() } else { s };
                                                    view! { <tr><td>{unknown(o.crm_name)}</td><td data-label=t.col_employee>{unknown(o.name)}</td><td data-label=t.col_outcome>{result}</td></tr> }
                                                }).collect_view().into_any()
                                            }}
                                        </tbody>
                                    </table>
                                </div>
                                <Pager total=r.results.total page=r.results.page pages=pages on_page=on_page/>
                            }
                            .into_any()
                        }}/>
                    </section>
                }
                .into_any()
            }}/>
        </Shell>
    }
}
