//! The scale data set: 10,000 clients, 500 employees and about 51,000
//! memberships, written straight into the tables in one transaction.

use crate::{BULK_ADD, BULK_REMOVE, CLIENTS, EMPLOYEES, PER_CLIENT};
use server::{db, AppState};

pub struct Ids {
    pub partner: i64,
    pub ada: i64,
    pub first_client: i64,
    pub bulk_employee: i64,
    pub bulk_clients: Vec<i64>,
    pub add_employees: Vec<i64>,
    /// 1,000 clients where Ada is Partner Admin (R17's add to many clients).
    pub pa_clients: Vec<i64>,
    pub memberships: usize,
}

/// Generates the scale data set in one transaction, straight into the tables.
pub async fn generate_scale(state: &AppState) -> Result<Ids, sqlx::Error> {
    let now = state.clock.now().0;
    let mut tx = state.db.begin().await?;
    let partner: i64 =
        sqlx::query_scalar("SELECT id FROM accounts WHERE name = 'Northwind Digital'").fetch_one(&mut *tx).await?;
    let ada: i64 =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'ada@northwind.example'").fetch_one(&mut *tx).await?;
    let mut employees = Vec::with_capacity(EMPLOYEES);
    for e in 0..EMPLOYEES {
        let id = sqlx::query_scalar::<_, i64>(
            "INSERT INTO users (email, name, password_hash, created_at) VALUES ($1, $2, 'not-a-hash', $3) RETURNING id",
        )
        .bind(format!("scale{e:04}@northwind.example"))
        .bind(format!("Scale Employee {e:04}"))
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO memberships (account_id, user_id, permission_set, seat, created_at) VALUES ($1, $2, 'sales', 'core', $3)")
            .bind(partner)
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        employees.push(id);
    }
    let mut clients = Vec::with_capacity(CLIENTS);
    let mut memberships = 0;
    for c in 0..CLIENTS {
        let id = sqlx::query_scalar::<_, i64>(
            "INSERT INTO accounts (name, kind, pricing_model, created_at) VALUES ($1, 'customer', 'classic', $2) RETURNING id",
        )
        .bind(format!("Scale Client {c:04} Ltd"))
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        for k in 0..PER_CLIENT {
            let e = employees[(c * PER_CLIENT + k) % (EMPLOYEES - BULK_ADD)];
            let status = if c % 10 == 0 { "deactivated" } else { "active" };
            // Last activity spread over 200 days, never for one in 17 (the Access review's filters).
            let idle = ((c * 7 + k * 13) % 200) as i64;
            let last = ((c + k) % 17 != 0).then_some(now - idle * 86_400);
            sqlx::query("INSERT INTO memberships (account_id, user_id, permission_set, seat, status, partner_account_id, created_at, last_activity_at) VALUES ($1, $2, 'sales', 'partner', $3, $4, $5, $6)")
                .bind(id)
                .bind(e)
                .bind(status)
                .bind(partner)
                .bind(now - 250 * 86_400)
                .bind(last)
                .execute(&mut *tx)
                .await?;
            memberships += 1;
        }
        // The client row last: it starts from its employees' count.
        sqlx::query("INSERT INTO clients (partner_account_id, customer_account_id, crm_name, created_at, last_partner_activity_at) VALUES ($1, $2, $3, $4, $4)")
            .bind(partner)
            .bind(id)
            .bind(format!("Scale Client {c:04}"))
            .bind(now - (c as i64 % 90) * 86_400)
            .execute(&mut *tx)
            .await?;
        clients.push(id);
    }
    // Ada is Partner Admin in the first client; one employee is in 1,000 clients.
    sqlx::query("INSERT INTO memberships (account_id, user_id, permission_set, seat, partner_account_id, created_at) VALUES ($1, $2, 'partner_admin', 'partner', $3, $4)")
        .bind(clients[0])
        .bind(ada)
        .bind(partner)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    // R17: Ada is Partner Admin in 1,000 more clients, for adding one employee to them all.
    for client in &clients[BULK_REMOVE..2 * BULK_REMOVE] {
        sqlx::query("INSERT INTO memberships (account_id, user_id, permission_set, seat, partner_account_id, created_at) VALUES ($1, $2, 'partner_admin', 'partner', $3, $4)")
            .bind(client)
            .bind(ada)
            .bind(partner)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        memberships += 1;
    }
    let bulk_employee = employees[EMPLOYEES - 1];
    for client in &clients[..BULK_REMOVE] {
        sqlx::query("INSERT INTO memberships (account_id, user_id, permission_set, seat, partner_account_id, created_at) VALUES ($1, $2, 'sales', 'partner', $3, $4)")
            .bind(client)
            .bind(bulk_employee)
            .bind(partner)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        memberships += 1;
    }
    tx.commit().await?;
    // Statistics, and on PostgreSQL the vacuum its autovacuum would run
    // soon after a bulk load like this one.
    let analyze = match state.backend {
        db::Backend::Sqlite => "ANALYZE",
        db::Backend::Postgres => "VACUUM ANALYZE",
    };
    sqlx::query(analyze).execute(&state.db).await?;
    Ok(Ids {
        partner,
        ada,
        first_client: clients[0],
        bulk_employee,
        bulk_clients: clients[..BULK_REMOVE].to_vec(),
        add_employees: employees[EMPLOYEES - 1 - BULK_ADD..EMPLOYEES - 1].to_vec(),
        pa_clients: clients[BULK_REMOVE..2 * BULK_REMOVE].to_vec(),
        memberships,
    })
}
