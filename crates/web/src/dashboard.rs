//! Dashboards: requests per year, outcome mix, review and litigation correction rates,
//! compliance by region — drawn by ECharts (served from /assets) from the statistics the
//! CLI's `stats` computes.

use crate::auth::Session;
use crate::fail::Fail;
use crate::html::layout;
use crate::pages::ListQuery;
use crate::report::script_json;
use crate::state::Shared;
use axum::extract::{Query, State};
use axum::response::Html;
use nianbao_corpus::stats::By;

/// What the corpus looks like now, cheaply: changes whenever a report, a correction or an
/// agency merge does.
async fn version(st: &Shared) -> Result<String, Fail> {
    st.with(|s| {
        let rows = s.conn().query(
            // A new version is a new id; merges change the number of agencies.
            "SELECT (SELECT MAX(id) FROM reports), (SELECT MAX(id) FROM corrections), (SELECT COUNT(*) FROM agencies), 0",
            &[],
        )?;
        Ok(rows.first().map_or(String::new(), |r| format!("{:?}/{:?}/{:?}/{:?}", r.int(0), r.int(1), r.int(2), r.int(3))))
    })
    .await
}

/// The statistics by year and by region (computed side by side on two connections),
/// cached until the corpus changes.
pub async fn data(st: &Shared, q: &ListQuery) -> Result<serde_json::Value, Fail> {
    let key = format!(
        "{}|{}|{}|{}|{}|{}|{}",
        q.region, q.level, q.year, q.template, q.status, q.q, q.text
    );
    let now = version(st).await?;
    let cached = |st: &Shared| {
        st.dashboards
            .lock()
            .ok()
            .and_then(|m| m.get(&key).cloned())
            .filter(|(v, _)| *v == now)
            .map(|(_, d)| d)
    };
    if let Some(d) = cached(st) {
        return Ok(d);
    }
    // One computation at a time: requests arriving meanwhile wait for its result.
    let _turn = st.computing.lock().await;
    if let Some(d) = cached(st) {
        return Ok(d);
    }
    let (f1, f2) = (q.filter(), q.filter());
    let (years, regions) = tokio::join!(
        st.with(move |s| s.stats(By::Year, &f1)),
        st.with(move |s| s.stats(By::Region, &f2))
    );
    let data = serde_json::json!({ "years": years?, "regions": regions? });
    if let Ok(mut m) = st.dashboards.lock() {
        if m.len() > 64 {
            m.clear();
        }
        m.insert(key, (now, data.clone()));
    }
    Ok(data)
}

/// Computes the unfiltered dashboard in the background when the server starts.
pub fn warm(st: Shared) {
    tokio::spawn(async move {
        let _ = data(&st, &ListQuery::default()).await;
    });
}

pub async fn page(
    State(st): State<Shared>,
    s: Session,
    Query(q): Query<ListQuery>,
) -> Result<Html<String>, Fail> {
    let d = data(&st, &q).await?;
    let body = format!(
        "<h1>仪表盘</h1><div class=\"charts\">\
         <div class=\"chart\" id=\"chart-requests\"></div><div class=\"chart\" id=\"chart-outcomes\"></div>\
         <div class=\"chart\" id=\"chart-corrections\"></div><div class=\"chart\" id=\"chart-compliance\"></div></div>\
         <script type=\"application/json\" id=\"stats\">{}</script>\
         <script src=\"/assets/echarts.min.js\"></script><script src=\"/assets/dashboard.js\"></script>",
        script_json(&d)
    );
    Ok(Html(layout("仪表盘", Some(&s), &body)))
}
