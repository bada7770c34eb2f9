//! The load run's data: one client account per virtual user, generated
//! straight into the database before the server starts.

use domain::{Membership, Permission, Perms, Seat, StandardSet};

/// The data of one virtual user.
#[derive(Clone, Debug)]
pub struct VirtualUser {
    pub email: String,
    pub client: i64,
    /// Employees only this user acts on: one whose set changes, one who is
    /// deactivated and reactivated, one who is removed and added again.
    pub re_set: i64,
    pub toggled: i64,
    pub removed: i64,
    pub asset: i64,
}

pub struct World {
    pub partner: i64,
    pub other_partner: i64,
    pub users: Vec<VirtualUser>,
}

pub async fn generate(db: &sqlx::AnyPool, n: usize) -> Result<World, Box<dyn std::error::Error>> {
    use server::db::{accounts, clients, users};
    let hash = server::auth::hash_password(server::seed::DEMO_PASSWORD)?;
    let now = 0;
    let mut tx = db.begin().await?;
    let partner: i64 =
        sqlx::query_scalar("SELECT id FROM accounts WHERE name = 'Northwind Digital'").fetch_one(&mut *tx).await?;
    let other_partner: i64 =
        sqlx::query_scalar("SELECT id FROM accounts WHERE name = 'Bluebird Apps'").fetch_one(&mut *tx).await?;
    let member = |set: StandardSet| {
        let mut m = Membership::with_set(set);
        m.seat = Seat::Core;
        m
    };
    let mut cam_user = member(StandardSet::ViewOnly);
    cam_user.added = Perms::EMPTY.with(Permission::PartnerEmployeesEdit);
    let plain = member(StandardSet::Sales);
    let flagged = |set: StandardSet| {
        let mut m = Membership::with_set(set);
        m.seat = Seat::Partner;
        m.partner_account_id = Some(partner);
        m
    };
    let mut out = vec![];
    for i in 0..n {
        let email = format!("load{i:03}@northwind.example");
        let user = users::insert(&mut tx, &email, &format!("Load User {i:03}"), &hash, now).await?;
        server::seed::provision(&mut tx, partner, user, &cam_user, None, now).await?;
        let client = accounts::insert(
            &mut tx,
            &format!("Load Client {i:03}"),
            domain::AccountKind::Customer,
            None,
            Some(domain::PricingModel::Classic),
            now,
        )
        .await?;
        clients::insert_client(&mut tx, partner, client, &format!("Load Client {i:03}"), now, now).await?;
        let owner =
            users::insert(&mut tx, &format!("owner{i:03}@load.example"), &format!("Owner {i:03}"), "!", now).await?;
        server::seed::provision(&mut tx, client, owner, &Membership::super_admin(), None, now).await?;
        server::seed::provision(&mut tx, client, user, &flagged(StandardSet::PartnerAdmin), None, now).await?;
        let mut people = vec![];
        for k in 0..3 {
            let e = users::insert(
                &mut tx,
                &format!("target{i:03}-{k}@northwind.example"),
                &format!("Target {i:03}-{k}"),
                "!",
                now,
            )
            .await?;
            server::seed::provision(&mut tx, partner, e, &plain, None, now).await?;
            server::seed::provision(&mut tx, client, e, &flagged(StandardSet::Sales), None, now).await?;
            people.push(e);
        }
        let asset = server::db::assets::insert(
            &mut tx,
            client,
            domain::AssetKind::Deal,
            &format!("Deal {i:03}"),
            Some(user),
            now,
        )
        .await?;
        out.push(VirtualUser { email, client, re_set: people[0], toggled: people[1], removed: people[2], asset });
    }
    tx.commit().await?;
    Ok(World { partner, other_partner, users: out })
}
