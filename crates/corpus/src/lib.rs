//! The nianbao corpus: many reports across agencies and years in one store.
//!
//! The store is a SQLite file by default and a PostgreSQL server for shared use; every
//! query is written once against [`db::Conn`]. Ingest reads files in parallel and writes
//! each report in its own transaction, so an interrupted run leaves every report either
//! complete or absent.

pub mod agencies;
pub mod agency;
pub mod assessment;
pub mod backup;
pub mod campaigns;
mod carry;
mod cellset;
pub mod collected;
pub mod cross;
pub mod db;
pub mod divisions;
pub mod export;
mod figures;
pub mod filers;
pub mod ingest;
mod postgres;
mod pq;
pub mod queue;
pub mod rendering;
mod reorder;
pub mod review;
pub mod schema;
mod sqlite;
pub mod stats;
pub mod store;
#[cfg(feature = "testing")]
pub mod testing;
pub mod workflow;
mod xlsx;

pub use store::Store;

/// Why the store could not be used, in words a person can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("无法打开数据库 {0}：{1} (cannot open database)")]
    Open(String, String),
    #[error("{0} 不是 SQLite 数据库文件，未作任何改动 (not a SQLite database; left untouched)")]
    NotADatabase(String),
    #[error("{0} 不是 nianbao 的数据库（含有其他表），未作任何改动 (a database not made by nianbao; left untouched)")]
    Foreign(String),
    #[error("{0} 的结构版本为 {1}，本程序不支持，请升级 nianbao (schema version {1} is not supported; upgrade nianbao)")]
    Version(String, i64),
    #[error("数据库错误 (database error): {0}")]
    Sql(String),
    /// The request or input was refused, with the reason (a bad value, a step not allowed).
    #[error("{0}")]
    Rejected(String),
    /// What the store holds cannot be read back (damaged or hand-edited data).
    #[error("语料库数据已损坏 (stored data is damaged): {0}")]
    Corrupt(String),
    /// Reading or writing a file or stream failed.
    #[error("{0}")]
    Io(String),
    /// Someone else changed the report first (the change was made on an older page).
    #[error("{0}")]
    Conflict(String),
    /// What was asked for is not in the corpus (a report or agency number).
    #[error("{0}")]
    NotFound(String),
}
