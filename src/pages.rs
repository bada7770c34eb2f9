//! One file per route view.

pub mod access_page;
pub mod account_home_page;
pub mod admin_pages;
pub mod assets_page;
pub mod cam_page;
pub mod client_details_page;
pub mod coverage_tab;
pub mod employee_bulk_page;
pub mod employee_page;
pub mod history_page;
pub mod home_page;
pub mod jobs_page;
pub mod not_found_page;
pub mod partner_access_page;
pub mod review_tab;
pub mod sign_in_page;
pub mod users_actions;
pub mod users_page;

pub use access_page::AccessPage;
pub use account_home_page::AccountHomePage;
pub use admin_pages::{BillingPage, DataCentrePage, ScimPage, SuperAdminsPage};
pub use assets_page::AssetsPage;
pub use cam_page::{CamClientsPage, CamEmployeesPage, CamHistoryPage};
pub use client_details_page::ClientDetailsPage;
pub use coverage_tab::CamCoveragePage;
pub use employee_bulk_page::{AddToClientsPage, ChangeSetInClientsPage};
pub use employee_page::EmployeePage;
pub use history_page::HistoryPage;
pub use home_page::HomePage;
pub use jobs_page::{JobPage, JobsPage};
pub use not_found_page::{InAccount, NotFoundContent, NotFoundPage};
pub use partner_access_page::PartnerAccessPage;
pub use review_tab::CamReviewPage;
pub use sign_in_page::SignInPage;
pub use users_page::UsersPage;
