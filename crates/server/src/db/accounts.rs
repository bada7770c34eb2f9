//! Accounts and their verified email domains.

use domain::{AccountKind, PartnerProgram, PricingModel};
use sqlx::{AnyPool, FromRow};

/// An account as stored.
#[derive(Debug, Clone, FromRow)]
pub struct AccountRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub partner_program: Option<String>,
    pub pricing_model: Option<String>,
}

/// An account with its enumerations parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: i64,
    pub name: String,
    pub kind: AccountKind,
    pub partner_program: Option<PartnerProgram>,
    pub pricing_model: Option<PricingModel>,
}

impl TryFrom<AccountRow> for Account {
    type Error = sqlx::Error;
    fn try_from(r: AccountRow) -> Result<Self, Self::Error> {
        let corrupt =
            || sqlx::Error::Decode(format!("account {} has an unknown kind, programme or pricing model", r.id).into());
        Ok(Account {
            id: r.id,
            kind: AccountKind::parse(&r.kind).ok_or_else(corrupt)?,
            partner_program: r
                .partner_program
                .as_deref()
                .map(|p| PartnerProgram::parse(p).ok_or_else(corrupt))
                .transpose()?,
            pricing_model: r
                .pricing_model
                .as_deref()
                .map(|p| PricingModel::parse(p).ok_or_else(corrupt))
                .transpose()?,
            name: r.name,
        })
    }
}

/// The account with this id.
pub async fn find<'e, E: sqlx::AnyExecutor<'e>>(pool: E, id: i64) -> Result<Option<Account>, sqlx::Error> {
    let row: Option<AccountRow> =
        sqlx::query_as("SELECT id, name, kind, partner_program, pricing_model FROM accounts WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?;
    row.map(Account::try_from).transpose()
}

/// A partner account's verified domains.
pub async fn domains(pool: &AnyPool, account_id: i64) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT domain FROM account_domains WHERE account_id = $1 ORDER BY domain")
        .bind(account_id)
        .fetch_all(pool)
        .await
}

/// Stores a new account and returns its id.
pub async fn insert(
    conn: &mut sqlx::AnyConnection,
    name: &str,
    kind: AccountKind,
    partner_program: Option<PartnerProgram>,
    pricing_model: Option<PricingModel>,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let id = sqlx::query_scalar::<_, i64>(
        "INSERT INTO accounts (name, kind, partner_program, pricing_model, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(name)
    .bind(kind.key())
    .bind(partner_program.map(PartnerProgram::key))
    .bind(pricing_model.map(PricingModel::key))
    .bind(now)
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// Adds a verified domain to a partner account.
pub async fn add_domain(conn: &mut sqlx::AnyConnection, account_id: i64, domain: &str) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO account_domains (account_id, domain) VALUES ($1, $2)")
        .bind(account_id)
        .bind(domain)
        .execute(conn)
        .await?;
    Ok(())
}

/// The partner a person is a recognised employee of: a partner account they
/// belong to, or one whose verified domain their email is on (eligible
/// programmes first): id, name and programme.
pub async fn recognised_partner(
    pool: &AnyPool,
    email: &str,
    domain: &str,
) -> Result<Option<(i64, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id, a.name, a.partner_program FROM accounts a WHERE a.kind = 'partner' AND ( \
           a.id IN (SELECT m.account_id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = $1) \
           OR a.id IN (SELECT account_id FROM account_domains WHERE domain = $2)) \
         ORDER BY CASE a.partner_program WHEN 'app_partner' THEN 1 ELSE 0 END, a.id LIMIT 1",
    )
    .bind(email)
    .bind(domain)
    .fetch_optional(pool)
    .await
}
