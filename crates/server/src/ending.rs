//! R14's timed work: memberships deactivated by the system at their end
//! date, and the reminders 14, 3 and 1 day(s) before. Both run inside one
//! write transaction each, so that with several instances, after a restart
//! or when run twice, each end and each reminder happens exactly once (the
//! reminders are recorded in `end_reminders` in the same transaction as
//! their notifications). Every signed-in request first ends what is due
//! ([`end_due_if_any`]), so access ends at the second, not at the next
//! round of the worker.

use crate::db;
use crate::db::ending::{Ending, Recipient};
use crate::db::history::Event;
use crate::db::notifications::Mail;
use crate::error::AppResult;
use crate::i18n;
use crate::state::AppState;
use domain::history::HistoryAction;
use domain::rules::{reminder_due, REMINDER_DAYS};
use domain::time::DAY;
use domain::{Perms, UnixTime};
use sqlx::AnyConnection;

/// Ends whatever is due and sends due reminders; returns (ended, reminded).
pub async fn run(state: &AppState) -> AppResult<(usize, usize)> {
    let ended = end_due(state).await?;
    let reminded = send_reminders(state).await?;
    if ended + reminded > 0 {
        state.mail_wakeup.notify_one();
    }
    Ok((ended, reminded))
}

/// The probe made before each signed-in request: ends memberships whose
/// end has come (a cheap indexed look when nothing is due).
pub async fn end_due_if_any(state: &AppState) -> AppResult<()> {
    if db::ending::any_due(&state.db, state.clock.now().0).await? {
        end_due(state).await?;
        state.mail_wakeup.notify_one();
    }
    Ok(())
}

/// Deactivates every active membership whose end has come: history by the
/// system, the relationship's R10 clock from the end, the person's sessions
/// in that account ended, the employee and the partner's admins told.
/// The last active super admin of an account is never ended (R9): their
/// end date is kept and they are ended once another super admin exists.
pub async fn end_due(state: &AppState) -> AppResult<usize> {
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    let due = db::ending::due(&mut tx, now).await?;
    let mut ended = 0;
    for e in due {
        if e.super_admin != 0 && db::memberships::active_super_admins(&mut tx, e.account_id).await? <= 1 {
            tracing::warn!(account_id = e.account_id, user_id = e.user_id, "end date of the last super admin kept");
            continue;
        }
        if db::ending::end(&mut tx, e.account_id, e.user_id).await? == 0 {
            continue;
        }
        let before = db::memberships::find(&mut *tx, e.account_id, e.user_id)
            .await?
            .map(|r| r.to_domain())
            .transpose()?
            .map(|m| m.permissions());
        db::history::record(
            &mut tx,
            Event {
                at: now,
                actor_user_id: None,
                account_id: e.account_id,
                target_user_id: Some(e.user_id),
                partner_account_id: e.partner_account_id,
                action: HistoryAction::AccessEnded,
                before,
                after: Some(Perms::EMPTY),
                detail: &UnixTime(e.ends_at).date_time(),
            },
        )
        .await?;
        db::ending::end_sessions_in(&mut tx, e.user_id, e.account_id).await?;
        if let Some(partner) = e.partner_account_id {
            db::ending::activity_until(&mut tx, partner, e.account_id, e.ends_at).await?;
        }
        let parties = Parties::of(&mut tx, &e).await?;
        let mut to = vec![parties.employee.clone()];
        if let Some(partner) = e.partner_account_id {
            to.extend(db::ending::partner_admins(&mut tx, partner).await?);
        }
        tell(&mut tx, state, &to, "access_ended", &parties, None, now).await?;
        ended += 1;
    }
    tx.commit().await?;
    if ended > 0 {
        tracing::info!(ended, "access ended at its end date");
    }
    Ok(ended)
}

/// Sends each due reminder once: to the employee, the partner's admins and
/// the client's admins.
pub async fn send_reminders(state: &AppState) -> AppResult<usize> {
    let now = state.clock.now().0;
    let longest = REMINDER_DAYS.iter().max().copied().unwrap_or(14) * DAY;
    let mut tx = db::begin_write(&state.db).await?;
    let mut sent = 0;
    for e in db::ending::ending_within(&mut tx, now, longest).await? {
        let recorded = db::ending::reminded(&mut tx, e.account_id, e.user_id, e.ends_at).await?;
        let set_at = UnixTime(e.ends_set_at.unwrap_or(i64::MIN / 2));
        let Some(due) = reminder_due(UnixTime(e.ends_at), set_at, UnixTime(now), &recorded) else { continue };
        let mut first = true;
        for days in &due.settles {
            first &= db::ending::record_reminder(&mut tx, &e, *days, now).await?;
        }
        if !first {
            continue;
        }
        let parties = Parties::of(&mut tx, &e).await?;
        let mut to = vec![parties.employee.clone()];
        if let Some(partner) = e.partner_account_id {
            to.extend(db::ending::partner_admins(&mut tx, partner).await?);
        }
        to.extend(db::ending::client_admins(&mut tx, e.account_id).await?);
        let days_left = UnixTime(now).days_until(UnixTime(e.ends_at));
        tell(&mut tx, state, &to, "access_ending", &parties, Some(days_left), now).await?;
        sent += 1;
    }
    tx.commit().await?;
    Ok(sent)
}

/// Who a notification about one membership names.
struct Parties {
    employee: Recipient,
    account: String,
    partner: String,
    ends_at: i64,
}

impl Parties {
    async fn of(conn: &mut AnyConnection, e: &Ending) -> AppResult<Parties> {
        let user = db::users::summary(&mut *conn, e.user_id).await?;
        let (name, email) = user.map(|u| (u.name, u.email)).unwrap_or_default();
        let account = db::accounts::find(&mut *conn, e.account_id).await?.map(|a| a.name).unwrap_or_default();
        let partner = match e.partner_account_id {
            Some(p) => db::accounts::find(&mut *conn, p).await?.map(|a| a.name).unwrap_or_default(),
            None => String::new(),
        };
        Ok(Parties { employee: Recipient { id: e.user_id, name, email }, account, partner, ends_at: e.ends_at })
    }
}

/// One in-app notification and one email per recipient (each once, in
/// their own language).
async fn tell(
    conn: &mut AnyConnection,
    state: &AppState,
    to: &[Recipient],
    kind: &str,
    p: &Parties,
    days_left: Option<i64>,
    now: i64,
) -> AppResult<()> {
    let date = UnixTime(p.ends_at).date();
    let days = days_left.unwrap_or(0);
    let params = serde_json::json!({
        "employee": p.employee.name, "account": p.account, "partner": p.partner, "date": date, "days": days.to_string(),
    });
    let mut seen = std::collections::BTreeSet::new();
    for r in to.iter().filter(|r| seen.insert(r.id)) {
        let args = [
            ("employee", p.employee.name.clone()),
            ("account", p.account.clone()),
            ("partner", p.partner.clone()),
            ("date", date.clone()),
            ("days", days.to_string()),
        ];
        notify(conn, state, r, kind, &args, &params, now).await?;
    }
    Ok(())
}

/// Tells the partner's admins that a client suspended or resumed their
/// access (`kind` is `partner_suspended` or `partner_resumed`).
pub async fn tell_partner(
    conn: &mut AnyConnection,
    state: &AppState,
    kind: &str,
    account_id: i64,
    partner_id: i64,
    now: i64,
) -> AppResult<()> {
    let account = db::accounts::find(&mut *conn, account_id).await?.map(|a| a.name).unwrap_or_default();
    let partner = db::accounts::find(&mut *conn, partner_id).await?.map(|a| a.name).unwrap_or_default();
    let params = serde_json::json!({ "account": account, "partner": partner });
    for r in db::ending::partner_admins(conn, partner_id).await? {
        let args = [("account", account.clone()), ("partner", partner.clone())];
        notify(conn, state, &r, kind, &args, &params, now).await?;
    }
    Ok(())
}

/// A notification of `kind` to one person: the in-app one (worded by the
/// browser from `params`; English kept for API clients) and its email in
/// the person's language (`email_<kind>_subject`, `email_<kind>_body`).
async fn notify(
    conn: &mut AnyConnection,
    state: &AppState,
    r: &Recipient,
    kind: &str,
    args: &[(&str, String)],
    params: &serde_json::Value,
    now: i64,
) -> AppResult<()> {
    let lang = db::users::mail_language(&mut *conn, r.id).await?;
    let mut args = args.to_vec();
    args.push(("name", r.name.clone()));
    args.push(("url", format!("{}/", state.config.public_base())));
    let (subject, body) = (format!("email_{kind}_subject"), format!("email_{kind}_body"));
    let email = Mail {
        to: r.email.clone(),
        subject: i18n::text(lang, &subject, &args),
        body: format!(
            "{}\n\n{}\n\n{}\n",
            i18n::text(lang, "email_greeting", &args),
            i18n::text(lang, &body, &args),
            i18n::text(lang, "email_open_cam", &args),
        ),
    };
    let en = domain::i18n::Lang::En;
    let (title, text) = (i18n::text(en, &subject, &args), i18n::text(en, &body, &args));
    db::notifications::notify(conn, r.id, kind, &params.to_string(), &title, &text, &email, now).await?;
    Ok(())
}
