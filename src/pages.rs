//! One file per route view.

pub mod account_home_page;
pub mod cam_page;
pub mod client_details_page;
pub mod home_page;
pub mod not_found_page;
pub mod sign_in_page;
pub mod users_page;

pub use account_home_page::AccountHomePage;
pub use cam_page::{CamClientsPage, CamEmployeesPage};
pub use client_details_page::ClientDetailsPage;
pub use home_page::HomePage;
pub use not_found_page::{NotFoundContent, NotFoundPage};
pub use sign_in_page::SignInPage;
pub use users_page::UsersPage;
