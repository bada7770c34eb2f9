//! What every security test needs: the demo world by name, sessions made
//! without spending argon2 on each, requests with chosen headers, and a
//! digest of every stored row to prove that a refused request wrote nothing.

use axum::body::Body;
use axum::http::{header, Method, Request};
use serde_json::Value;
use sqlx::AnyPool;
use std::collections::BTreeMap;
pub use tooling::harness::{rows_without, stored};
use tooling::harness::{Browser, Response, TestApp};

/// The demo data's ids, by name.
#[derive(Debug, Clone, Copy)]
pub struct World {
    pub nw: i64,
    pub bb: i64,
    /// Contoso Partners, the second solutions partner managing Acme.
    pub contoso: i64,
    pub acme: i64,
    pub globex: i64,
    pub initech: i64,
    pub wonka: i64,
    pub umbrella: i64,
    pub umbrella_labs: i64,
    pub ada: i64,
    pub ben: i64,
    pub cleo: i64,
    pub dan: i64,
    pub eve: i64,
    pub bo: i64,
    pub carol: i64,
    pub gina: i64,
    pub uma: i64,
    /// Contoso's super admin, Partner Admin in Acme.
    pub cody: i64,
    /// Contoso's employee, Sales in Acme.
    pub cora: i64,
    /// The contact "Jordan Miles" in Acme.
    pub acme_contact: i64,
}

impl World {
    pub async fn load(app: &TestApp) -> World {
        let user = |email: &'static str| async move {
            sqlx::query_scalar::<_, i64>("SELECT id FROM users WHERE email = $1")
                .bind(email)
                .fetch_one(&app.state.db)
                .await
                .unwrap_or_else(|_| panic!("{email}"))
        };
        let acme = app.account_id("Acme Corporation").await;
        World {
            nw: app.account_id("Northwind Digital").await,
            bb: app.account_id("Bluebird Apps").await,
            contoso: app.account_id("Contoso Partners").await,
            acme,
            globex: app.account_id("Globex").await,
            initech: app.account_id("Initech").await,
            wonka: app.account_id("Wonka Industries").await,
            umbrella: app.account_id("Umbrella Health").await,
            umbrella_labs: app.account_id("Umbrella Labs").await,
            ada: user("ada@northwind.example").await,
            ben: user("ben@northwind.example").await,
            cleo: user("cleo@northwind.example").await,
            dan: user("dan@northwind.example").await,
            eve: user("eve@contractor.example").await,
            bo: user("bo@bluebird.example").await,
            carol: user("carol@acme.example").await,
            gina: user("gina@globex.example").await,
            uma: user("uma@umbrella.example").await,
            cody: user("cody@contoso.example").await,
            cora: user("cora@contoso.example").await,
            acme_contact: sqlx::query_scalar("SELECT id FROM assets WHERE account_id = $1 AND name = 'Jordan Miles'")
                .bind(acme)
                .fetch_one(&app.state.db)
                .await
                .unwrap(),
        }
    }
}

/// A signed-in browser for `user_id`, made by storing a session directly
/// (sign-in itself, with its argon2 cost, is tested on its own).
pub async fn session(app: &TestApp, user_id: i64) -> Browser {
    let token = server::auth::new_token();
    let csrf = server::auth::new_token();
    server::db::sessions::create(
        &app.state.db,
        &server::auth::token_hash(&token),
        user_id,
        &csrf,
        None,
        app.state.clock.now().0,
        false,
    )
    .await
    .unwrap();
    Browser { cookie: format!("{}={token}", server::auth::SESSION_COOKIE), csrf, session: Value::Null }
}

/// How a request presents itself besides its session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presenting {
    /// As the app's own pages: the CSRF token, no cross-site markers.
    OwnPage,
    /// Without the CSRF token.
    NoToken,
    /// With a foreign `Origin`.
    ForeignOrigin,
    /// Marked `Sec-Fetch-Site: cross-site` by the browser.
    CrossSite,
}

/// Sends a request the way `how` says.
pub async fn request(
    app: &TestApp,
    method: Method,
    path: &str,
    body: Option<&Value>,
    browser: Option<&Browser>,
    how: Presenting,
) -> Response {
    let mut b = Request::builder().method(method).uri(path).header(header::HOST, "cam.test");
    if let Some(br) = browser {
        b = b.header(header::COOKIE, &br.cookie);
        if how != Presenting::NoToken {
            b = b.header("x-csrf-token", &br.csrf);
        }
    }
    b = match how {
        Presenting::ForeignOrigin => b.header(header::ORIGIN, "https://evil.example"),
        Presenting::CrossSite => b.header("sec-fetch-site", "cross-site"),
        _ => b,
    };
    let req = match body {
        Some(v) => b.header(header::CONTENT_TYPE, "application/json").body(Body::from(v.to_string())).unwrap(),
        None => b.body(Body::empty()).unwrap(),
    };
    app.send(req).await
}

/// The tables whose rows differ, with the first differing row of each.
pub fn difference(before: &BTreeMap<String, Vec<String>>, after: &BTreeMap<String, Vec<String>>) -> String {
    let mut out = vec![];
    for (table, rows) in after {
        let old = before.get(table).cloned().unwrap_or_default();
        if &old != rows {
            let added: Vec<&String> = rows.iter().filter(|r| !old.contains(r)).take(2).collect();
            let gone: Vec<&String> = old.iter().filter(|r| !rows.contains(r)).take(2).collect();
            out.push(format!("{table}: +{added:?} -{gone:?}"));
        }
    }
    out.join("; ")
}

/// The number of rows in the denial log.
pub async fn denials(pool: &AnyPool) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM denials").fetch_one(pool).await.unwrap()
}

/// SPEC R3, read per permission and written here from the SPEC, not taken
/// from the grant rule under test: a super-admin-only permission comes only
/// with super admin rights; a permission the actor holds ends as asked; one
/// the actor does not hold stays as it was.
pub fn spec_r3(actor: domain::Perms, asked: domain::Perms, had: domain::Perms) -> domain::Perms {
    domain::Permission::ALL
        .iter()
        .copied()
        .filter(|p| {
            if p.is_super_admin_only() {
                false
            } else if actor.contains(*p) {
                asked.contains(*p)
            } else {
                had.contains(*p)
            }
        })
        .collect()
}
