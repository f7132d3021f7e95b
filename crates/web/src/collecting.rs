//! Collections started from a campaign's page: an admin pastes the site list, nianbao walks
//! the portals in the background (only the hosts the list names) for the campaign's year,
//! and the board shows each report as published online. One run per campaign at a time;
//! its progress is kept in memory (what it stored is in the store).

use crate::auth::Session;
use crate::fail::Fail;
use crate::state::Shared;
use axum::extract::{Path, State};
use axum::response::Redirect;
use axum::Form;
use nianbao_collect::store::collect_into;
use nianbao_collect::{hosts_of, parse_sites, Options, Politeness};
use nianbao_corpus::review::Role;
use serde::Deserialize;
use std::sync::Mutex;
use std::time::Duration;

/// Where a campaign's collection is.
#[derive(Clone, Debug, Default)]
pub struct Run {
    pub sites: usize,
    pub done: usize,
    pub stored: usize,
    pub failed: usize,
    pub running: bool,
    pub user: String,
}

#[derive(Deserialize)]
pub struct CollectForm {
    csrf: String,
    sites: String,
}

/// `POST /campaigns/{id}/collect`: starts collecting (admins only).
pub async fn start(
    State(st): State<Shared>,
    s: Session,
    Path(id): Path<i64>,
    Form(f): Form<CollectForm>,
) -> Result<Redirect, Fail> {
    s.check_csrf(&f.csrf)?;
    s.require(Role::Admin)?;
    let sites = parse_sites(&f.sites)
        .map_err(|e| Fail::bad(format!("站点清单有误 (bad site list): {e}")))?;
    if sites.is_empty() {
        return Err(Fail::bad("站点清单中没有机构 (no agency in the site list)"));
    }
    {
        let mut runs = st.collections.lock().unwrap_or_else(|p| p.into_inner());
        if runs.get(&id).is_some_and(|r| r.running) {
            return Err(Fail::bad(
                "本任务的网站收集正在进行，请等待完成 (a collection for this campaign is running)",
            ));
        }
        runs.insert(
            id,
            Run {
                sites: sites.len(),
                running: true,
                user: s.user.name.clone(),
                ..Run::default()
            },
        );
    }
    let names: Vec<String> = sites.iter().map(|x| x.agency.clone()).collect();
    let year = st
        .with(move |store| {
            let c = store.campaign(id)?;
            store.add_campaign_names(id, &names)?;
            Ok(c.year)
        })
        .await;
    let year = match year {
        Ok(y) => y,
        Err(e) => {
            st.collections
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(&id);
            return Err(e);
        }
    };
    let interval = *st
        .collect_interval
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    let options = Options {
        politeness: Politeness {
            interval,
            hosts: hosts_of(&sites),
            ..Politeness::default()
        },
        concurrency: 4,
        years: vec![year as i32],
    };
    let state = st.clone();
    std::thread::spawn(move || {
        let store = match nianbao_corpus::Store::open(&state.db) {
            Ok(s) => Mutex::new(s),
            Err(e) => {
                eprintln!("collect: {e}");
                if let Some(r) = state
                    .collections
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .get_mut(&id)
                {
                    r.running = false;
                }
                return;
            }
        };
        let update = |f: &dyn Fn(&mut Run)| {
            if let Some(r) = state
                .collections
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get_mut(&id)
            {
                f(r);
            }
        };
        let tally = collect_into(
            &store,
            &sites,
            &options,
            &|_| update(&|r| r.failed += 1),
            &|_| update(&|r| r.done += 1),
        );
        update(&|r| {
            r.stored = tally.stored;
            r.running = false;
        });
    });
    Ok(Redirect::to(&format!("/campaigns/{id}")))
}

/// The run of a campaign, if one was started since the server started.
pub fn run_of(st: &Shared, id: i64) -> Option<Run> {
    st.collections
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&id)
        .cloned()
}

/// The least time between two requests to one host when the web collects (`serve
/// --collect-interval`); one second unless set.
pub fn default_interval() -> Duration {
    Duration::from_secs(1)
}
