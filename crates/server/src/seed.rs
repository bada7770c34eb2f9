//! The demo data of SPEC §6, seeded into an empty database. Every demo user
//! signs in with [`DEMO_PASSWORD`]; the hash is computed once per process
//! (argon2id with a random salt) and shared by the demo users.

use crate::auth::hash_password;
use crate::db;
use crate::error::{AppError, AppResult};
use domain::grant::{self, Granter, Requested};
use domain::{
    AccountKind, AssetKind, Membership, MembershipStatus, PartnerProgram, Permission, Perms, PricingModel, Seat,
    StandardSet, UnixTime,
};
use sqlx::{AnyConnection, AnyPool};
use std::sync::OnceLock;

/// The password of every demo user.
pub const DEMO_PASSWORD: &str = "demo-password";

/// The demo sign-ins printed at start-up: (email, what the user shows).
pub const DEMO_SIGN_INS: &[(&str, &str)] = &[
    ("ada@northwind.example", "Northwind Digital super admin; Partner Admin in Acme"),
    ("ben@northwind.example", "Northwind Digital, View and edit partner employees"),
    ("cleo@northwind.example", "Northwind Digital, no Client Access Manager access"),
    ("dan@northwind.example", "Northwind Digital employee"),
    ("eve@contractor.example", "contractor without the partner domain"),
    ("bo@bluebird.example", "Bluebird Apps (app partner)"),
    ("carol@acme.example", "Acme Corporation super admin"),
    ("gina@globex.example", "Globex super admin"),
    ("uma@umbrella.example", "Umbrella Health and Umbrella Labs super admin"),
    ("cody@contoso.example", "Contoso Partners super admin; Partner Admin in Acme"),
    ("cora@contoso.example", "Contoso Partners employee (Sales in Acme)"),
];

const GENERATED: &[&str] = &[
    "Aurora Logistics",
    "Baltic Timber",
    "Cedar & Stone",
    "Delta Dental Group",
    "Ember Coffee",
    "Fjord Analytics",
    "Granite Insurance",
    "Harbor Freight Lines",
    "Iris Optics",
    "Juniper Legal",
    "Kestrel Aviation",
    "Lumen Energy",
    "Maple Bakery",
    "Nimbus Cloudworks",
    "Orchid Florists",
    "Pioneer Robotics",
    "Quartz Jewellers",
    "Riverbend Clinic",
    "Saffron Kitchens",
    "Tundra Outdoor",
    "Urban Nest Realty",
    "Vantage Motors",
    "Willow Pet Care",
    "Xenon Labs",
    "Yarrow Health",
    "Zephyr Sails",
    "Atlas Movers",
    "Beacon Schools",
    "Cobalt Security",
    "Dune Travel",
    "Evergreen Garden Supply",
    "Falcon Fitness",
    "Glacier Water",
    "Helix Biotech",
    "Indigo Print",
    "Jasper Hotels",
    "Kite Marketing Lab",
    "Lighthouse Finance",
    "Meridian Shipping",
    "Nova Dental",
    "Onyx Architects",
    "Prairie Foods",
];

const SUFFIXES: &[&str] = &["Ltd", "Inc.", "GmbH", "Oy", "AB", "Sp. z o.o."];

fn demo_hash() -> AppResult<String> {
    static HASH: OnceLock<String> = OnceLock::new();
    if let Some(h) = HASH.get() {
        return Ok(h.clone());
    }
    let h = hash_password(DEMO_PASSWORD)?;
    Ok(HASH.get_or_init(|| h).clone())
}

fn partner_member(set: StandardSet, partner: i64, seat: Seat, status: MembershipStatus) -> Membership {
    let mut m = Membership::with_set(set);
    m.partner_account_id = Some(partner);
    m.seat = seat;
    m.status = status;
    if status == MembershipStatus::Deactivated {
        m.deactivated_by = Some(domain::Deactivator::Partner);
    }
    m
}

fn partner_super_admin(partner: i64) -> Membership {
    let mut m = Membership::super_admin();
    m.partner_account_id = Some(partner);
    m.seat = Seat::Partner;
    m
}

/// Stores a membership provisioned by the platform itself (the demo data,
/// benchmark data): the one granter that holds everything, through the same
/// grant rule and the same writer as every other membership. No request
/// handler calls it.
pub async fn provision(
    c: &mut AnyConnection,
    account_id: i64,
    user_id: i64,
    m: &Membership,
    last_activity_at: Option<i64>,
    now: i64,
) -> AppResult<()> {
    let plain = Membership { super_admin: false, ..m.clone() };
    let granted = if m.super_admin {
        grant::grant_super_admin(Granter::platform(), &plain)?
    } else {
        let set = m.set.map(|s| (s, m.set_perms));
        grant::grant(Granter::platform(), Perms::EMPTY, &Requested::with_overrides(set, m.added, m.removed))
    };
    let standing = db::changes::Standing::of(m);
    db::changes::insert(c, &[(account_id, user_id, standing)], now).await?;
    db::changes::write_grants(c, &[(account_id, user_id, &granted)]).await?;
    if let Some(at) = last_activity_at {
        db::memberships::touch_activity(c, account_id, user_id, at).await?;
    }
    Ok(())
}

/// Seeds the demo data in one transaction.
pub async fn demo(pool: &AnyPool, now: UnixTime) -> AppResult<()> {
    let hash = demo_hash()?;
    let mut tx = pool.begin().await?;
    seed(&mut tx, &hash, now.0).await?;
    tx.commit().await?;
    Ok(())
}

/// Seeds the demo data when the database holds no accounts; returns whether
/// it did. Under the write lock: of several instances starting at once on
/// an empty database, exactly one seeds.
pub async fn demo_if_empty(pool: &AnyPool, now: UnixTime) -> AppResult<bool> {
    let hash = demo_hash()?;
    let mut tx = db::begin_write(pool).await?;
    if !db::is_empty(&mut *tx).await? {
        return Ok(false);
    }
    seed(&mut tx, &hash, now.0).await?;
    tx.commit().await?;
    Ok(true)
}

async fn seed(c: &mut AnyConnection, hash: &str, now: i64) -> Result<(), AppError> {
    use db::accounts::{add_domain, insert as account};
    use db::assets::insert as asset;
    use db::clients::insert_client as client;
    use db::users::insert as user;
    use provision as member;
    use AccountKind::{Customer, Partner};
    use MembershipStatus::{Active, Deactivated};
    let day = domain::time::DAY;

    let northwind = account(c, "Northwind Digital", Partner, Some(PartnerProgram::SolutionsPartner), None, now).await?;
    add_domain(c, northwind, "northwind.example").await?;
    let bluebird = account(c, "Bluebird Apps", Partner, Some(PartnerProgram::AppPartner), None, now).await?;
    add_domain(c, bluebird, "bluebird.example").await?;

    let ada = user(c, "ada@northwind.example", "Ada Lovelace", hash, now).await?;
    let ben = user(c, "ben@northwind.example", "Ben Okafor", hash, now).await?;
    let cleo = user(c, "cleo@northwind.example", "Cleo Park", hash, now).await?;
    let dan = user(c, "dan@northwind.example", "Dan Reyes", hash, now).await?;
    let eve = user(c, "eve@contractor.example", "Eve Sousa", hash, now).await?;
    let bo = user(c, "bo@bluebird.example", "Bo Lindqvist", hash, now).await?;
    let carol = user(c, "carol@acme.example", "Carol Jensen", hash, now).await?;
    let gina = user(c, "gina@globex.example", "Gina Rossi", hash, now).await?;
    let uma = user(c, "uma@umbrella.example", "Uma Takahashi", hash, now).await?;

    let mut admin = Membership::super_admin();
    member(c, northwind, ada, &admin, Some(now - day), now).await?;
    let mut ben_m = Membership::with_set(StandardSet::ViewOnly);
    ben_m.added = Perms::EMPTY.with(Permission::PartnerEmployeesEdit);
    ben_m.seat = Seat::Core;
    member(c, northwind, ben, &ben_m, None, now).await?;
    let mut sales = Membership::with_set(StandardSet::Sales);
    sales.seat = Seat::Sales;
    member(c, northwind, cleo, &sales, None, now).await?;
    let mut marketing = Membership::with_set(StandardSet::Marketing);
    marketing.seat = Seat::Core;
    member(c, northwind, dan, &marketing, None, now).await?;
    let mut view = Membership::with_set(StandardSet::ViewOnly);
    view.seat = Seat::Core;
    member(c, northwind, eve, &view, None, now).await?;
    member(c, bluebird, bo, &admin, None, now).await?;

    // Acme: Carol is super admin, Ada Partner Admin, Cleo on Sales with assets,
    // Eve a plain user not yet linked to the partner.
    let acme = account(c, "Acme Corporation", Customer, None, Some(PricingModel::Classic), now).await?;
    member(c, acme, carol, &admin, Some(now - 3 * day), now).await?;
    member(
        c,
        acme,
        ada,
        &partner_member(StandardSet::PartnerAdmin, northwind, Seat::Partner, Active),
        Some(now - 2 * day),
        now,
    )
    .await?;
    member(
        c,
        acme,
        cleo,
        &partner_member(StandardSet::Sales, northwind, Seat::Partner, Active),
        Some(now - 5 * day),
        now,
    )
    .await?;
    member(c, acme, eve, &view, None, now).await?;
    client(c, northwind, acme, "Acme Corp", now - 2 * day, now).await?;
    for (kind, name) in [
        (AssetKind::Contact, "Jordan Miles"),
        (AssetKind::Deal, "Acme renewal 2027"),
        (AssetKind::Report, "Pipeline by stage"),
    ] {
        asset(c, acme, kind, name, Some(cleo), now).await?;
    }
    asset(c, acme, AssetKind::Company, "Acme Corporation", Some(carol), now).await?;

    // Contoso Partners also manages Acme: one client, two partners, each
    // seeing and changing only its own people there.
    let contoso = account(c, "Contoso Partners", Partner, Some(PartnerProgram::SolutionsPartner), None, now).await?;
    add_domain(c, contoso, "contoso.example").await?;
    let cody = user(c, "cody@contoso.example", "Cody Marsh", hash, now).await?;
    let cora = user(c, "cora@contoso.example", "Cora Lind", hash, now).await?;
    member(c, contoso, cody, &admin, Some(now - day), now).await?;
    let mut contoso_sales = Membership::with_set(StandardSet::Sales);
    contoso_sales.seat = Seat::Sales;
    member(c, contoso, cora, &contoso_sales, None, now).await?;
    member(
        c,
        acme,
        cody,
        &partner_member(StandardSet::PartnerAdmin, contoso, Seat::Partner, Active),
        Some(now - 4 * day),
        now,
    )
    .await?;
    member(
        c,
        acme,
        cora,
        &partner_member(StandardSet::Sales, contoso, Seat::Partner, Active),
        Some(now - 6 * day),
        now,
    )
    .await?;
    client(c, contoso, acme, "Acme (Contoso)", now - 4 * day, now).await?;
    asset(c, acme, AssetKind::Deal, "Contoso retainer", Some(cora), now).await?;

    // Globex (seat-based): Gina and Ada are super admins; Ada can migrate.
    let globex = account(c, "Globex", Customer, None, Some(PricingModel::SeatBased), now).await?;
    member(c, globex, gina, &admin, None, now).await?;
    member(c, globex, ada, &partner_super_admin(northwind), Some(now - 7 * day), now).await?;
    client(c, northwind, globex, "Globex", now - 7 * day, now).await?;

    // Initech: Ada is the only super admin; migration must be refused.
    let initech = account(c, "Initech", Customer, None, Some(PricingModel::Classic), now).await?;
    member(c, initech, ada, &partner_super_admin(northwind), Some(now - 12 * day), now).await?;
    client(c, northwind, initech, "Initech", now - 12 * day, now).await?;

    // Umbrella: no partner users yet, for the access-link flow.
    for name in ["Umbrella Health", "Umbrella Labs"] {
        let id = account(c, name, Customer, None, Some(PricingModel::Classic), now).await?;
        member(c, id, uma, &admin, None, now).await?;
    }

    // Bluebird's own client, to prove partners never see each other's data.
    let wonka = account(c, "Wonka Industries", Customer, None, Some(PricingModel::Classic), now).await?;
    let wonka_owner = user(c, "owner@wonka.example", "Willa Wonka", hash, now).await?;
    member(c, wonka, wonka_owner, &admin, None, now).await?;
    member(c, wonka, bo, &partner_member(StandardSet::Sales, bluebird, Seat::Partner, Active), Some(now - day), now)
        .await?;
    client(c, bluebird, wonka, "Wonka Industries", now - day, now).await?;

    // Generated clients: enough for search, filters and paging, in every
    // access type and relationship status.
    for (i, name) in GENERATED.iter().enumerate() {
        let official = if i % 4 == 0 { format!("{name} {}", SUFFIXES[i % SUFFIXES.len()]) } else { name.to_string() };
        let pricing = if i % 3 == 0 { PricingModel::SeatBased } else { PricingModel::Classic };
        let id = account(c, &official, Customer, None, Some(pricing), now).await?;
        let slug: String = name.to_ascii_lowercase().chars().filter(char::is_ascii_alphanumeric).collect();
        let owner = user(
            c,
            &format!("owner@{slug}.example"),
            &format!("{} Owner", name.split(' ').next().unwrap_or(name)),
            hash,
            now,
        )
        .await?;
        admin.seat = Seat::Core;
        member(c, id, owner, &admin, None, now).await?;
        let i64i = i as i64;
        let last = match i % 6 {
            3 => now - (5 + i64i) * day,
            5 => now - (70 + i64i) * day,
            _ => now - (i64i % 9) * day,
        };
        let pa = |status| partner_member(StandardSet::PartnerAdmin, northwind, Seat::Partner, status);
        match i % 6 {
            0 => {
                member(c, id, ada, &pa(Active), Some(last), now).await?;
                // Access nobody uses, for the Access review (R17): Dan has not
                // acted here for weeks or months, in some clients never.
                let dan_last = if i % 12 == 0 { None } else { Some(now - (35 + 4 * i64i) * day) };
                member(
                    c,
                    id,
                    dan,
                    &partner_member(StandardSet::Marketing, northwind, Seat::Partner, Active),
                    dan_last,
                    now,
                )
                .await?;
            }
            1 => member(c, id, ada, &pa(Active), Some(last), now).await?,
            2 => {
                member(c, id, dan, &pa(Active), Some(last), now).await?;
                member(
                    c,
                    id,
                    cleo,
                    &partner_member(StandardSet::Sales, northwind, Seat::Partner, Active),
                    Some(last),
                    now,
                )
                .await?;
            }
            3 => {
                member(c, id, ada, &pa(Deactivated), Some(last), now).await?;
                member(
                    c,
                    id,
                    dan,
                    &partner_member(StandardSet::Service, northwind, Seat::Partner, Deactivated),
                    Some(last),
                    now,
                )
                .await?;
            }
            4 => member(c, id, ada, &partner_super_admin(northwind), Some(last), now).await?,
            _ => {
                member(
                    c,
                    id,
                    cleo,
                    &partner_member(StandardSet::Sales, northwind, Seat::Partner, Deactivated),
                    Some(last),
                    now,
                )
                .await?
            }
        }
        let crm = if i % 7 == 0 { format!("{name} (key account)") } else { name.to_string() };
        client(c, northwind, id, &crm, last, now).await?;
        asset(c, id, AssetKind::Company, &official, Some(owner), now).await?;
        if i % 2 == 0 {
            let partner_owner = if i % 6 == 2 || i % 6 == 5 { cleo } else { ada };
            asset(c, id, AssetKind::Workflow, &format!("{name} onboarding"), Some(partner_owner), now).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_at_least_forty_generated_clients_with_unique_names() {
        assert!(GENERATED.len() >= 40);
        let mut names: Vec<_> = GENERATED.to_vec();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), GENERATED.len());
    }
}
