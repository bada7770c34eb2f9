//! Mounts the Client Access Manager single-page app.

fn main() {
    client_access_manager::start();
}
