//! Mounts one partner's terms in a client account (`terms.html`, R18): the
//! ceiling and the relationship end, loaded only by whoever opens them.

fn main() {
    client_access_manager::start_terms();
}
