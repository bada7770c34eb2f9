//! Mounts sign-in security (`security.html`, R20): the user's own second
//! factors, the second step of a sign-in, and an account's requirement.

fn main() {
    client_access_manager::start_security();
}
