// `sqlx::migrate!` embeds the migrations at compile time: a new or changed
// migration must rebuild the server.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
