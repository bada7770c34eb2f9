//! Mounts the access-link page's own small entry point (`access.html`): a
//! client opening a link from an email downloads only this page and sign-in.

fn main() {
    client_access_manager::start_access();
}
