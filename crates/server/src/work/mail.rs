//! Email delivery from the outbox, a kind of background work: queued emails
//! are claimed row by row (a lease per row, so two instances never send one
//! twice), sent through SMTP (when configured), and failures retried with
//! exponential back-off. Whatever happens here never undoes what queued
//! the email.

use crate::db::notifications::{self, OutboxRow};
use crate::state::AppState;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// Attempts before an email is marked failed for good.
pub const MAX_ATTEMPTS: i64 = 6;

/// Seconds to wait after the `attempt`-th failure (30 s, 1 min, 2 min, …).
pub fn backoff_secs(attempt: i64) -> i64 {
    30 * (1i64 << attempt.clamp(0, 10))
}

/// Sends every due email once; returns how many were sent. Does nothing
/// (and leaves the emails queued) when no SMTP server is configured.
pub async fn deliver_due(state: &AppState) -> Result<usize, String> {
    let Some(transport) = transport(state)? else {
        return Ok(0);
    };
    let now = state.clock.now().0;
    let due = notifications::claim_due(&state.db, &state.instance, now, 50).await.map_err(|e| e.to_string())?;
    let mut sent = 0;
    for row in due {
        match send(state, &transport, &row).await {
            Ok(()) => {
                notifications::mark_sent(&state.db, row.id, &state.instance, state.clock.now().0)
                    .await
                    .map_err(|e| e.to_string())?;
                sent += 1;
            }
            Err(error) => {
                let attempt = row.attempts + 1;
                let retry_at = (attempt < MAX_ATTEMPTS).then(|| state.clock.now().0 + backoff_secs(attempt));
                tracing::warn!(outbox_id = row.id, attempt, %error, "email not delivered");
                notifications::mark_attempt_failed(&state.db, row.id, &state.instance, &error, retry_at)
                    .await
                    .map_err(|e| e.to_string())?;
            }
        }
    }
    Ok(sent)
}

fn transport(state: &AppState) -> Result<Option<AsyncSmtpTransport<Tokio1Executor>>, String> {
    let c = &state.config;
    let Some(host) = c.smtp_host.as_deref() else {
        return Ok(None);
    };
    let builder = match c.smtp_tls.as_str() {
        "none" => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
        "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(host).map_err(|e| e.to_string())?,
        _ => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host).map_err(|e| e.to_string())?,
    };
    let mut builder = builder.port(c.smtp_port).timeout(Some(Duration::from_secs(10)));
    if let (Some(user), Some(password)) = (&c.smtp_username, &c.smtp_password) {
        builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
    }
    Ok(Some(builder.build()))
}

async fn send(state: &AppState, transport: &AsyncSmtpTransport<Tokio1Executor>, row: &OutboxRow) -> Result<(), String> {
    let from: Mailbox = state.config.mail_from.parse().map_err(|e| format!("sender: {e}"))?;
    let to: Mailbox = row.recipient.parse().map_err(|e| format!("recipient: {e}"))?;
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(row.subject.clone())
        .body(row.body.clone())
        .map_err(|e| e.to_string())?;
    transport.send(message).await.map(|_| ()).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_from_thirty_seconds() {
        assert_eq!(backoff_secs(1), 60);
        assert_eq!(backoff_secs(2), 120);
        assert!(backoff_secs(50) <= 30 * 1024);
    }
}
