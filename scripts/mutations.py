#!/usr/bin/env python3
"""The mutation table of SECURITY.md: each bound of SPEC §9 switched off by a
one-line change, the test suites run, and the tests that fail named. A bound
whose removal no test notices is a missing test.

Usage: python3 scripts/mutations.py [name ...]   (all when none is given)
Prints one Markdown row per mutation; leaves the tree as it found it.
Runs the domain and server unit tests, the API tests and the security
suite (all but races, crash safety and fuzzing) on SQLite."""

import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOMAIN = "crates/domain/src/authority.rs"
PARTNER = "crates/domain/src/authority/partner_side.rs"
CLIENT = "crates/domain/src/authority/client_side.rs"
ACCOUNT = "crates/domain/src/account.rs"

# (name, bound in SPEC's words, file, text, replacement)
MUTATIONS = [
    ("suspension", "§9 Suspension: nothing widens for a suspended partner's people", DOMAIN,
     "if w.widens && !resume && place.suspends(partner) {", "if false && w.widens && !resume && place.suspends(partner) {"),
    ("widening-held", "§9 principle: the actor holds everything the change widens (R3)", DOMAIN,
     "if !w.perms.is_subset(holds) {", "if false && !w.perms.is_subset(holds) {"),
    ("last-super-admin", "R9: the account keeps a super admin", DOMAIN,
     "if place.lasting_super_admins <= 1 {", "if false && place.lasting_super_admins <= 1 {"),
    ("reactivation-widens", "§9: a reactivation widens everything the person will hold", DOMAIN,
     "let gains_access = after.is_active() && !before.is_some_and(Membership::is_active);",
     "let gains_access = false;"),
    ("end-later-widens", "§9: an end moved later or removed is a grant", DOMAIN,
     "let end_later = before.is_some_and(|b| later(b.end, after.end.map(|e| e.at)));", "let end_later = false;"),
    ("seat-widens", "§9: a seat given is a widening (refused while suspended)", DOMAIN,
     "let seat_given = before.is_some_and(|b| b.seat != after.seat && after.seat != Seat::None);",
     "let seat_given = false;"),
    ("billing", "§9 Billing: never through a set, an edit or an approval", DOMAIN,
     "    if partner_person {\n        requested.leaving_out", "    if false && partner_person {\n        requested.leaving_out"),
    ("ended-holds-nothing", "R14: an end that has come grants nothing from that second", ACCOUNT,
     "if self.is_active() && self.end.is_some_and(|e| e.at <= now) {", "if false && self.is_active() && self.end.is_some_and(|e| e.at <= now) {"),
    ("active-partner-admin", "A1/A2/A4/A6: an active Partner Admin of the partner there (R2, R8)", PARTNER,
     "    if active_partner_admin_here {", "    if true || active_partner_admin_here {"),
    ("client-deactivated", "A4, R8: what the client deactivated only the client reactivates", PARTNER,
     "    if person.deactivated_by == Some(Deactivator::Client) {\n        return Err(Refusal::forbidden(Rule::R8, Reason::DeactivatedByClient));",
     "    if false && person.deactivated_by == Some(Deactivator::Client) {\n        return Err(Refusal::forbidden(Rule::R8, Reason::DeactivatedByClient));"),
    ("end-passed", "A4/A9: an ended membership is reactivated only after its end moves", DOMAIN,
     "    if m.ended_by(now) {\n        Err(Refusal::invalid(Rule::R14, Reason::EndPassed))",
     "    if false && m.ended_by(now) {\n        Err(Refusal::invalid(Rule::R14, Reason::EndPassed))"),
    ("client-set-end", "A6: the partner never moves a client-set end later nor removes it", PARTNER,
     "if client_set && later(person.end, at) {", "if false && client_set && later(person.end, at) {"),
    ("partner-suspended-whole", "A2/A4/A6: refused while suspended (the whole action)", DOMAIN,
     "        if self.suspends(person.partner_account_id) {\n            Err(suspended())",
     "        if false && self.suspends(person.partner_account_id) {\n            Err(suspended())"),
    ("link-super-admin", "A5: a super admin is never linked", PARTNER,
     "    if person.super_admin {\n        return Err(Refusal::forbidden(Rule::R5, Reason::LinkSuperAdmin));",
     "    if false && person.super_admin {\n        return Err(Refusal::forbidden(Rule::R5, Reason::LinkSuperAdmin));"),
    ("link-suspended", "A5: no link while suspended", PARTNER,
     "    if place.suspends(Some(actor.partner)) {\n        return Err(super::suspended());\n    }\n    if person.super_admin",
     "    if false && place.suspends(Some(actor.partner)) {\n        return Err(super::suspended());\n    }\n    if person.super_admin"),
    ("client-own", "A7/A8/A10/A12: the client's own people only", CLIENT,
     "        Side::Partner => Err(Refusal::forbidden(Rule::Authority, Reason::ClientOwnOnly)),",
     "        Side::Partner => Ok(()),"),
    ("other-partners-people", "§9: a partner never acts on another partner's people", CLIENT,
     "        (Some(mine), Some(theirs)) if mine != theirs => {", "        (Some(mine), Some(theirs)) if false && mine != theirs => {"),
    ("over-super-admin", "A9, R12: never over a super admin unless a super admin acts", CLIENT,
     "    if person.super_admin && !actor.is_active_super_admin() {\n        return Err(Refusal::forbidden(Rule::R12",
     "    if false && person.super_admin && !actor.is_active_super_admin() {\n        return Err(Refusal::forbidden(Rule::R12"),
    ("client-reactivation", "A9, R8: a partner's person never reactivates what the client deactivated", CLIENT,
     "if person.deactivated_by == Some(Deactivator::Client) && actor.side() == Side::Partner {",
     "if false && person.deactivated_by == Some(Deactivator::Client) && actor.side() == Side::Partner {"),
    ("narrowing", "A8, R15: the approval honours the approver's unticking (conversions too)", CLIENT,
     "let granted = approval_grant(approver.active_permissions(), had, leave_out);",
     "let granted = approval_grant(approver.active_permissions(), had, Perms::EMPTY);"),
    ("control-beyond", "A12: R3 over every person touched, never over a super admin", CLIENT,
     "    if people.iter().any(|p| !p.permissions().is_subset(holds(Some(actor)))) {",
     "    if false && people.iter().any(|p| !p.permissions().is_subset(holds(Some(actor)))) {"),
    ("partner-access-404", "A12: Partner access does not exist for partner people (404)",
     "crates/server/src/http/partner_access.rs",
     "    if me.side() == Side::Partner {\n        return Err(AppError::NotFound);",
     "    if false && me.side() == Side::Partner {\n        return Err(AppError::NotFound);"),
    ("csv-formulas", "§9: CSV cells a spreadsheet would run are written as text",
     "crates/server/src/http/lists.rs",
     "    if cell.starts_with(['=', '+', '-', '@', '\\t', '\\r']) {", "    if false && cell.starts_with(['=', '+', '-', '@', '\\t', '\\r']) {"),
    # The background-work runner's lease on a bulk job (issue 26).
    ("lease-holder", "Work: a chunk commits only while its instance holds the job's lease",
     "crates/server/src/db/bulk.rs",
     "WHERE id = $1 AND lease_by = $2 AND state = 'running'", "WHERE id = $1 AND $2 = $2 AND state = 'running'"),
    ("lease-expiry", "Work: a job is taken over only once its lease has run out",
     "crates/server/src/db/bulk.rs",
     "const FREE: &str = \"state = 'running' AND (lease_until IS NULL OR lease_until <= $2)\";",
     "const FREE: &str = \"state = 'running'\";"),
    ("lease-finish", "Work: only the lease holder records a job's end",
     "crates/server/src/db/bulk.rs",
     "WHERE id = $1 AND lease_by = $6 AND state = 'running'", "WHERE id = $1 AND $6 = $6 AND state = 'running'"),
]

# One build and one run: the domain's and the server's unit tests, the API
# tests and the security suite (but its slow proofs of other things: races,
# crash safety, fuzzing).
SUITES = [
    ["cargo", "test", "--no-fail-fast", "-p", "domain", "-p", "server", "--lib", "--test", "api", "--test", "security", "--",
     "--skip", "races::", "--skip", "crash::", "--skip", "fuzz::"],
]


def failing(output: str) -> list[str]:
    return sorted(set(re.findall(r"^test (\S+) \.\.\. FAILED", output, re.M)))


def run(name, bound, path, old, new):
    full = os.path.join(ROOT, path)
    text = open(full).read()
    if text.count(old) != 1:
        return f"| {name} | {bound} | (the line to switch off was not found once in {path}) |"
    open(full, "w").write(text.replace(old, new))
    try:
        failed = []
        for suite in SUITES:
            env = {**os.environ, "CARGO_TERM_COLOR": "never", "PROPTEST_DISABLE_FAILURE_PERSISTENCE": "1"}
            out = subprocess.run(suite, cwd=ROOT, capture_output=True, text=True, env=env)
            failed += failing(out.stdout + out.stderr)
            if out.returncode != 0 and not failing(out.stdout + out.stderr):
                failed.append("did not build")
        # The independent oracles first (API scenarios, matrix, model), then the domain's own tests.
        failed.sort(key=lambda f: (f.startswith("authority::tests") or "::tests::" in f, f))
        shown = ", ".join(f"`{f}`" for f in failed[:4]) + (f" and {len(failed) - 4} more" if len(failed) > 4 else "")
        return f"| {name} | {bound} | {shown or '**none: a missing test**'} |"
    finally:
        open(full, "w").write(text)


def main():
    chosen = set(sys.argv[1:])
    print("| switched off | bound | tests that fail |")
    print("|---|---|---|")
    for m in MUTATIONS:
        if not chosen or m[0] in chosen:
            print(run(*m), flush=True)


if __name__ == "__main__":
    main()
