//! The web application's workflows driven in-process (see `common`): sign-in and
//! administration, tokens, review and history, choosing another reading, composing a report,
//! review letters, narratives, regions, originals and the OpenAPI document. What needs a
//! real `nianbao serve` (restarts, TLS, a LAN address, uploads read by the background worker
//! across a restart, a real browser) is tested against the binary in `crates/cli/tests`.

mod common;

mod admin;
mod choose;
mod collect;
mod compose;
mod filing;
mod filters;
mod health;
mod history;
mod letter;
mod merge;
mod narrative;
mod openapi;
mod original;
mod proxy;
mod regions;
mod review;
mod tokens;
mod upgrade;
mod upload;
