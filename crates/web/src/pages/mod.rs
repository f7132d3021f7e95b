//! The pages of the corpus browser, by job: sign-in, the report list, uploads, administration.

mod admin;
mod list;
mod signin;
mod upload;

pub use admin::*;
pub use list::*;
pub use signin::*;
pub use upload::*;
