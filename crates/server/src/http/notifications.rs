//! The signed-in user's in-app notifications.

use crate::auth::CurrentUser;
use crate::db;
use crate::error::AppResult;
use crate::http::extract::NoBody;
use crate::http::Api;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use domain::api::{Notification, NotificationList};
use domain::UnixTime;

/// Routes under `/api/v1/notifications`.
pub fn routes() -> Api {
    Api::new().get("/notifications", list).post("/notifications/read", mark_read)
}

async fn list(State(state): State<AppState>, user: CurrentUser) -> AppResult<Json<NotificationList>> {
    let items = db::notifications::latest(&state.db, user.user_id, 20)
        .await?
        .into_iter()
        .map(|n| Notification {
            id: n.id,
            params: serde_json::from_str(&n.params).unwrap_or_default(),
            kind: n.kind,
            title: n.title,
            body: n.body,
            created_at: UnixTime(n.created_at),
            read: n.read_at.is_some(),
        })
        .collect();
    let unread = db::notifications::unread(&state.db, user.user_id).await? as u32;
    Ok(Json(NotificationList { unread, items }))
}

async fn mark_read(State(state): State<AppState>, user: CurrentUser, _: NoBody) -> AppResult<StatusCode> {
    db::notifications::mark_all_read(&state.db, user.user_id, state.clock.now().0).await?;
    Ok(StatusCode::NO_CONTENT)
}
