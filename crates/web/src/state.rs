//! Shared state: a small pool of store connections (the store API is synchronous; handlers
//! use it on tokio's blocking threads) and the sign-in attempt counter.

use crate::fail::Fail;
use nianbao_corpus::{Store, StoreError};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

pub struct State {
    pub db: String,
    pool: Mutex<Vec<Store>>,
    /// Failed sign-ins per user name: their times (see [`crate::auth`]).
    pub attempts: Mutex<HashMap<String, Vec<Instant>>>,
    /// Largest upload accepted per file.
    pub max_upload: usize,
    /// Dashboard data by (filter, corpus version): statistics take seconds over 100 000
    /// reports and change only when the corpus does.
    pub dashboards: Mutex<HashMap<String, (String, serde_json::Value)>>,
    pub computing: tokio::sync::Mutex<()>,
    /// The report list's count by (filter, corpus version): counting a million reports
    /// takes tens of milliseconds, a page of them none.
    pub list_counts: Mutex<HashMap<String, (String, i64)>>,
    /// Agencies per division code for the region tree, with the corpus version they count.
    /// Shared, not copied, by each request (tens of thousands of codes on a large corpus).
    pub division_counts: PerVersion<HashMap<String, i64>>,
    /// The years and regions the filters offer, with the corpus version they were read at.
    pub facets: PerVersion<nianbao_corpus::divisions::Facets>,
    /// `serve` speaks TLS itself (`--tls-cert`/`--tls-key`).
    pub tls: bool,
    /// Uploads read in the background (set when the server starts).
    pub jobs: std::sync::OnceLock<crate::jobs::Jobs>,
    /// Reverse proxies whose `X-Forwarded-For` / `Forwarded` say who the client is (see
    /// [`crate::auth::client`]); none by default: the peer is the client.
    pub trusted_proxies: std::sync::OnceLock<Vec<std::net::IpAddr>>,
    /// Collections from portals started on campaigns' pages, by campaign.
    pub collections: Mutex<HashMap<i64, crate::collecting::Run>>,
    /// The least time between two requests to one host when collecting.
    pub collect_interval: Mutex<std::time::Duration>,
    /// Bytes one user (administrators aside) may upload in 24 hours; 0: no bound.
    pub upload_quota: Mutex<u64>,
}

/// What one user may upload in 24 hours unless `serve` is told otherwise: 2 GB.
pub const UPLOAD_QUOTA: u64 = 2048 << 20;

pub type Shared = Arc<State>;

/// A figure kept with the corpus version it was read at (see `regions::per_version`).
pub type PerVersion<T> = Mutex<Option<(String, Arc<T>)>>;

impl State {
    pub fn open(db: &str, max_upload: usize) -> Result<State, StoreError> {
        // Opening once up front creates or checks the schema and reports a bad database now.
        let first = Store::open(db)?;
        Ok(State {
            db: db.to_string(),
            pool: Mutex::new(vec![first]),
            attempts: Mutex::new(HashMap::new()),
            max_upload,
            dashboards: Mutex::new(HashMap::new()),
            computing: tokio::sync::Mutex::new(()),
            list_counts: Mutex::new(HashMap::new()),
            division_counts: Mutex::new(None),
            facets: Mutex::new(None),
            tls: false,
            jobs: std::sync::OnceLock::new(),
            trusted_proxies: std::sync::OnceLock::new(),
            collections: Mutex::new(HashMap::new()),
            collect_interval: Mutex::new(crate::collecting::default_interval()),
            upload_quota: Mutex::new(UPLOAD_QUOTA),
        })
    }

    /// Runs `f` with a store connection on a blocking thread of its own, not waiting for it
    /// (a download streamed while the store is read).
    pub fn spawn_with(
        self: Arc<Self>,
        f: impl FnOnce(Result<&mut Store, StoreError>) + Send + 'static,
    ) {
        tokio::task::spawn_blocking(move || {
            let store = self.pool.lock().ok().and_then(|mut p| p.pop());
            let mut store = match store.map(Ok).unwrap_or_else(|| Store::open(&self.db)) {
                Ok(s) => s,
                Err(e) => return f(Err(e)),
            };
            f(Ok(&mut store));
            if let Ok(mut pool) = self.pool.lock() {
                if pool.len() < 8 {
                    pool.push(store);
                }
            }
        });
    }

    /// Runs `f` with a store connection on a blocking thread.
    pub async fn with<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, Fail> {
        let me = self.clone();
        tokio::task::spawn_blocking(move || {
            let store = me.pool.lock().map_err(|_| Fail::internal("pool"))?.pop();
            let mut store = match store {
                Some(s) => s,
                None => Store::open(&me.db).map_err(Fail::store)?,
            };
            let out = f(&mut store).map_err(Fail::store);
            if let Ok(mut pool) = me.pool.lock() {
                if pool.len() < 8 {
                    pool.push(store);
                }
            }
            out
        })
        .await
        .map_err(|_| Fail::internal("task"))?
    }
}
