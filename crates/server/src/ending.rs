//! R14's timed work: the ends that have come, stored by the system, and
//! the reminders 14, 3 and 1 day(s) before. A membership whose end has come
//! grants nothing from that second on wherever access is read
//! (`Membership::at`); this work only stores it afterwards, with its
//! history and notifications. Both run inside one write transaction each,
//! so that with several instances, after a restart or when run twice, each
//! end and each reminder happens exactly once (the reminders are recorded
//! in `end_reminders` in the same transaction as their notifications).

use crate::changes::{self, Decided};
use crate::db;
use crate::db::ending::Recipient;
use crate::db::notifications::Mail;
use crate::error::AppResult;
use crate::i18n;
use crate::state::AppState;
use domain::rules::{reminder_due, REMINDER_DAYS};
use domain::time::DAY;
use domain::UnixTime;
use sqlx::AnyConnection;

/// Stores whatever has ended and sends due reminders; returns (ended, reminded).
pub async fn run(state: &AppState) -> AppResult<(usize, usize)> {
    let ended = end_due(state).await?;
    let reminded = send_reminders(state).await?;
    if ended + reminded > 0 {
        state.mail_wakeup.notify_one();
    }
    Ok((ended, reminded))
}

/// Stores the end of every active membership whose end has come, through
/// the one place that applies changes: deactivated by the system, history
/// without an actor, the relationship's R10 clock from the end, the
/// person's sessions ended; the employee and the partner's admins told.
pub async fn end_due(state: &AppState) -> AppResult<usize> {
    let now = state.clock.now().0;
    let mut tx = db::begin_write(&state.db).await?;
    let mut decided = Vec::new();
    for row in db::ending::due(&mut tx, now).await? {
        if let Some(change) = domain::authority::end_reached(&row.stored()?, UnixTime(now)) {
            decided.push(Decided { account_id: row.account_id, user_id: row.user_id, change });
        }
    }
    changes::apply(&mut tx, &changes::Actor::system(), &decided, now).await?;
    for d in &decided {
        let Some(before) = d.change.before() else { continue };
        let ends_at = before.end.map(|e| e.at.0).unwrap_or(now);
        let parties = Parties::of(&mut tx, d.user_id, d.account_id, before.partner_account_id, ends_at).await?;
        let mut to = vec![parties.employee.clone()];
        if let Some(partner) = before.partner_account_id {
            to.extend(db::ending::partner_admins(&mut tx, partner).await?);
        }
        tell(&mut tx, state, &to, "access_ended", &parties, None, now).await?;
    }
    tx.commit().await?;
    if !decided.is_empty() {
        tracing::info!(ended = decided.len(), "access ended at its end date");
    }
    Ok(decided.len())
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
        let parties = Parties::of(&mut tx, e.user_id, e.account_id, e.partner_account_id, e.ends_at).await?;
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
    async fn of(
        conn: &mut AnyConnection,
        user_id: i64,
        account_id: i64,
        partner_account_id: Option<i64>,
        ends_at: i64,
    ) -> AppResult<Parties> {
        let user = db::users::summary(&mut *conn, user_id).await?;
        let (name, email) = user.map(|u| (u.name, u.email)).unwrap_or_default();
        let account = db::accounts::find(&mut *conn, account_id).await?.map(|a| a.name).unwrap_or_default();
        let partner = match partner_account_id {
            Some(p) => db::accounts::find(&mut *conn, p).await?.map(|a| a.name).unwrap_or_default(),
            None => String::new(),
        };
        Ok(Parties { employee: Recipient { id: user_id, name, email }, account, partner, ends_at })
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

/// A5: tells the client's own admins that a partner linked one of their
/// users as its employee (nothing else changed).
pub async fn tell_client_of_link(
    conn: &mut AnyConnection,
    state: &AppState,
    account_id: i64,
    partner_id: i64,
    user_id: i64,
    now: i64,
) -> AppResult<()> {
    let account = db::accounts::find(&mut *conn, account_id).await?.map(|a| a.name).unwrap_or_default();
    let partner = db::accounts::find(&mut *conn, partner_id).await?.map(|a| a.name).unwrap_or_default();
    let employee = db::users::summary(&mut *conn, user_id).await?.map(|u| u.name).unwrap_or_default();
    let params = serde_json::json!({ "account": account, "partner": partner, "employee": employee });
    for r in db::ending::client_admins(conn, account_id).await? {
        let args = [("account", account.clone()), ("partner", partner.clone()), ("employee", employee.clone())];
        notify(conn, state, &r, "client_linked", &args, &params, now).await?;
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
