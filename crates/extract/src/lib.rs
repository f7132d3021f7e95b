//! Turns the text of an annual report into a typed [`Report`](nianbao_model::Report).

pub mod norm;
pub mod tokens;
pub mod labels;
pub mod spec;
