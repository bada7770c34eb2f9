//! Notifications of access changes, in-app and by email, each in the
//! reader's language: what [`crate::changes`] tells when it applies a
//! change (an end reached, a client user linked), what a client's control
//! of a partner tells its admins, R14's reminders, and a declined access
//! link (which changes no access).

use crate::db;
use crate::db::ending::{Ending, Recipient};
use crate::db::notifications::Mail;
use crate::error::AppResult;
use crate::i18n;
use crate::state::AppState;
use domain::UnixTime;
use sqlx::AnyConnection;

/// R14: the employee and the partner's admins are told that `user_id`'s
/// access to `account_id` ended at `ends_at`.
pub async fn access_ended(
    conn: &mut AnyConnection,
    state: &AppState,
    user_id: i64,
    account_id: i64,
    partner: Option<i64>,
    ends_at: i64,
    now: i64,
) -> AppResult<()> {
    let parties = Parties::of(&mut *conn, user_id, account_id, partner, ends_at).await?;
    let mut to = vec![parties.employee.clone()];
    if let Some(partner) = partner {
        to.extend(db::ending::partner_admins(&mut *conn, partner).await?);
    }
    tell(conn, state, &to, "access_ended", &parties, None, now).await
}

/// SPEC §4: the employee is told that a client approved their access
/// link into `account_id` (in-app and by email, with the end if any).
pub async fn link_approved(
    conn: &mut AnyConnection,
    state: &AppState,
    user_id: i64,
    account_id: i64,
    partner: i64,
    ends_at: Option<UnixTime>,
    now: i64,
) -> AppResult<()> {
    let account = db::accounts::find(&mut *conn, account_id).await?.map(|a| a.name).unwrap_or_default();
    let partner = db::accounts::find(&mut *conn, partner).await?.map(|a| a.name).unwrap_or_default();
    let employee = db::users::summary(&mut *conn, user_id).await?;
    let (name, email) = employee.map(|u| (u.name, u.email)).unwrap_or_default();
    let lang = db::users::mail_language(&mut *conn, user_id).await?;
    let args = [
        ("name", name),
        ("account", account.clone()),
        ("partner", partner.clone()),
        ("url", format!("{}/", state.config.public_base())),
    ];
    let ends = match ends_at {
        Some(at) => format!("{}\n\n", i18n::text(lang, "email_link_approved_ends", &[("date", at.date())])),
        None => String::new(),
    };
    let mail = Mail {
        to: email,
        subject: i18n::text(lang, "email_link_approved_subject", &args),
        body: format!(
            "{}\n\n{}\n\n{ends}{}\n",
            i18n::text(lang, "email_greeting", &args),
            i18n::text(lang, "email_link_approved_body", &args),
            i18n::text(lang, "email_open_cam", &args),
        ),
    };
    // In-app, the email's subject and text in the person's language.
    let (title, body) = (mail.subject.clone(), i18n::text(lang, "email_link_approved_body", &args));
    let mut params = serde_json::json!({ "account": account, "partner": partner });
    if let Some(at) = ends_at {
        params["date"] = at.date().into();
    }
    db::notifications::notify(conn, user_id, "access_link_approved", &params.to_string(), &title, &body, &mail, now)
        .await?;
    Ok(())
}

/// SPEC §4: the employee is told that `decliner` declined their access
/// link for `partner` (in-app and by email, with the reason if given).
pub async fn link_declined(
    conn: &mut AnyConnection,
    state: &AppState,
    user_id: i64,
    partner: i64,
    decliner: i64,
    reason: Option<&str>,
    now: i64,
) -> AppResult<()> {
    let partner = db::accounts::find(&mut *conn, partner).await?.map(|a| a.name).unwrap_or_default();
    let employee = db::users::summary(&mut *conn, user_id).await?;
    let (name, email) = employee.map(|u| (u.name, u.email)).unwrap_or_default();
    let by = db::users::summary(&mut *conn, decliner).await?;
    let (by_name, by_email) = by.map(|u| (u.name, u.email)).unwrap_or_default();
    let lang = db::users::mail_language(&mut *conn, user_id).await?;
    let mut args = vec![
        ("name", name),
        ("decliner", by_name.clone()),
        ("email", by_email.clone()),
        ("partner", partner.clone()),
        ("url", format!("{}/", state.config.public_base())),
    ];
    if let Some(reason) = reason {
        args.push(("reason", reason.to_string()));
    }
    // The body, with the reason as a paragraph of its own when given.
    let words = |lang, gap: &str| {
        let body = i18n::text(lang, "email_link_declined_body", &args);
        match reason {
            Some(_) => format!("{body}{gap}{}", i18n::text(lang, "email_link_declined_reason", &args)),
            None => body,
        }
    };
    let mail = Mail {
        to: email,
        subject: i18n::text(lang, "email_link_declined_subject", &args),
        body: format!(
            "{}\n\n{}\n\n{}\n",
            i18n::text(lang, "email_greeting", &args),
            words(lang, "\n\n"),
            i18n::text(lang, "email_open_cam", &args),
        ),
    };
    let (title, body) = (mail.subject.clone(), words(lang, " "));
    let mut params = serde_json::json!({ "decliner": by_name, "email": by_email, "partner": partner });
    if let Some(reason) = reason {
        params["reason"] = reason.into();
    }
    db::notifications::notify(conn, user_id, "access_link_declined", &params.to_string(), &title, &body, &mail, now)
        .await?;
    Ok(())
}

/// R14: a reminder of an end to come, to the employee, the partner's
/// admins and the client's own admins.
pub async fn access_ending(conn: &mut AnyConnection, state: &AppState, e: &Ending, now: i64) -> AppResult<()> {
    let parties = Parties::of(&mut *conn, e.user_id, e.account_id, e.partner_account_id, e.ends_at).await?;
    let mut to = vec![parties.employee.clone()];
    if let Some(partner) = e.partner_account_id {
        to.extend(db::ending::partner_admins(&mut *conn, partner).await?);
    }
    to.extend(db::ending::client_admins(&mut *conn, e.account_id).await?);
    let days_left = UnixTime(now).days_until(UnixTime(e.ends_at));
    tell(conn, state, &to, "access_ending", &parties, Some(days_left), now).await
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
    tell_sides(conn, state, kind, account_id, partner_id, &[], false, now).await
}

/// R18: tells the partner's admins (and with `client_too` the client's own
/// admins) of a step of the relationship: `kind` is `ceiling_lowered`
/// (`people`: how many were narrowed), `relationship_end_changed` or
/// `relationship_ending` (`date`, `days`).
#[allow(clippy::too_many_arguments)]
pub async fn tell_sides(
    conn: &mut AnyConnection,
    state: &AppState,
    kind: &str,
    account_id: i64,
    partner_id: i64,
    extra: &[(&str, String)],
    client_too: bool,
    now: i64,
) -> AppResult<()> {
    let account = db::accounts::find(&mut *conn, account_id).await?.map(|a| a.name).unwrap_or_default();
    let partner = db::accounts::find(&mut *conn, partner_id).await?.map(|a| a.name).unwrap_or_default();
    let mut args = vec![("account", account), ("partner", partner)];
    args.extend(extra.iter().cloned());
    let params = serde_json::Value::Object(args.iter().map(|(k, v)| (k.to_string(), v.clone().into())).collect());
    let mut to = db::ending::partner_admins(&mut *conn, partner_id).await?;
    if client_too {
        to.extend(db::ending::client_admins(&mut *conn, account_id).await?);
    }
    let mut seen = std::collections::BTreeSet::new();
    for r in to.iter().filter(|r| seen.insert(r.id)) {
        notify(conn, state, r, kind, &args, &params, now).await?;
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

/// A notification of `kind` to one person: the in-app one and its email,
/// both in the person's language (`email_<kind>_subject`,
/// `email_<kind>_body`); `params` are kept for API clients.
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
    // The in-app notification is worded once, in the person's language, as
    // the email's subject and text (the browser shows it as it is).
    let (title, text) = (email.subject.clone(), i18n::text(lang, &body, &args));
    db::notifications::notify(conn, r.id, kind, &params.to_string(), &title, &text, &email, now).await?;
    Ok(())
}
