//! Mounts an account's settings and assets (`settings.html`): their screens'
//! code is loaded only by the people who open them.

fn main() {
    client_access_manager::start_settings();
}
