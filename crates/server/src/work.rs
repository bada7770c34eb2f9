//! Background work: the mail outbox, R14's ends and reminders, and R17's
//! bulk jobs.

pub mod bulk;
pub mod ending;
pub mod mail;
