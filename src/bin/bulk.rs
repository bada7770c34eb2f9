//! Mounts Client Access Manager's work across all clients (`bulk.html`):
//! the Access review, Coverage, bulk work and one employee across many
//! clients (R17), loaded only by the people who open them.

fn main() {
    client_access_manager::start_bulk();
}
