//! Dashboards: requests per year, outcome mix, review and litigation correction rates,
//! compliance by region — drawn by ECharts (served from /assets) from the statistics the
//! CLI's `stats` computes.

use crate::auth::Session;
use crate::fail::Fail;
use crate::html::frame;
use crate::pages::ListQuery;
use crate::report::script_json;
use crate::state::Shared;
use axum::extract::{Query, State};
use axum::response::Html;
use maud::{html, PreEscaped};
use nianbao_corpus::stats::By;

/// What the corpus looks like now, cheaply: changes whenever a report, a correction, an
/// agency merge or a person's placing of an agency does.
pub(crate) async fn version(st: &Shared) -> Result<String, Fail> {
    st.with(move |s| {
        let rows = s.conn().query(
            // A new version is a new id; merges, splits and placings count themselves
            // (each a look-up in an index: counting the agencies took 25 ms on a large corpus).
            "SELECT (SELECT MAX(id) FROM reports), (SELECT MAX(id) FROM corrections), \
             (SELECT MAX(id) FROM agencies), (SELECT value FROM nianbao_meta WHERE key = 'agencies_changed')",
            &[],
        )?;
        Ok(rows.first().map_or(String::new(), |r| format!("{:?}/{:?}/{:?}/{}", r.int(0), r.int(1), r.int(2), r.str(3))))
    })
    .await
}

/// How long a request waits for figures never computed before; then the page says they are
/// being computed (and reloads itself) while the computation goes on.
const FIRST_WAIT: std::time::Duration = std::time::Duration::from_millis(250);

/// The statistics by year and by region (computed side by side on two connections),
/// cached until the corpus changes. After a change they are computed again; when that takes
/// longer than [`FIRST_WAIT`] (a large corpus; or took longer last time, `took_ms`, and then
/// without waiting at all) the figures computed before are served, marked
/// `"stale": true` with the time they were computed, and the page reloads itself once the
/// new ones are ready. A filter never asked for before is computed at once; when that
/// takes longer than [`FIRST_WAIT`] (a large corpus, the server just started) the answer is
/// `{"computing": true}` and the computation finishes in the background.
pub async fn data(st: &Shared, q: &ListQuery) -> Result<serde_json::Value, Fail> {
    let key = format!(
        "{}|{}|{}|{}|{}|{}|{}|{}",
        q.region, q.division, q.level, q.year, q.template, q.status, q.q, q.text
    );
    let now = version(st).await?;
    let entry = st.dashboards.lock().ok().and_then(|m| m.get(&key).cloned());
    match entry {
        Some((v, d)) if v == now => return Ok(d),
        Some((_, mut old)) => {
            // Figures that took longer than the wait last time will again: serve the old
            // ones at once rather than after the wait (a million reports: 10 s to compute).
            let slow = old
                .get("took_ms")
                .and_then(|v| v.as_u64())
                .is_some_and(|ms| u128::from(ms) > FIRST_WAIT.as_millis());
            let (st2, q2, key2, now2) = (st.clone(), q.clone(), key.clone(), now.clone());
            let job = tokio::spawn(async move { compute(&st2, &q2, key2, now2).await });
            // Fresh figures when they come quickly (an office's corpus: milliseconds).
            if !slow {
                if let Ok(Ok(Ok(fresh))) = tokio::time::timeout(FIRST_WAIT, job).await {
                    return Ok(fresh);
                }
            }
            old["stale"] = serde_json::json!(true);
            return Ok(old);
        }
        None => {}
    }
    let (st2, q2) = (st.clone(), q.clone());
    let job = tokio::spawn(async move { compute(&st2, &q2, key, now).await });
    match tokio::time::timeout(FIRST_WAIT, job).await {
        Ok(done) => done.map_err(|_| Fail::internal("dashboard"))?,
        Err(_) => Ok(serde_json::json!({ "computing": true })),
    }
}

/// Computes a filter's figures (one computation at a time; requests arriving meanwhile for
/// the same corpus version take its result) and caches them.
async fn compute(
    st: &Shared,
    q: &ListQuery,
    key: String,
    now: String,
) -> Result<serde_json::Value, Fail> {
    let _turn = st.computing.lock().await;
    let fresh = st
        .dashboards
        .lock()
        .ok()
        .and_then(|m| m.get(&key).cloned())
        .filter(|(v, _)| *v == now)
        .map(|(_, d)| d);
    if let Some(d) = fresh {
        return Ok(d);
    }
    let began = std::time::Instant::now();
    let (f1, f2, f3) = (q.filter(), q.filter(), q.filter());
    let below = By::Division(nianbao_corpus::divisions::below(&crate::regions::clean(
        &q.division,
    )));
    let (years, regions) = tokio::join!(
        st.with(move |s| s.stats(By::Year, &f1)),
        st.with(move |s| s.stats(By::Region, &f2))
    );
    let divisions = st.with(move |s| s.stats(below, &f3)).await?;
    let at = nianbao_corpus::review::beijing_time(nianbao_corpus::review::unix_now());
    let took = began.elapsed().as_millis() as u64;
    let data = serde_json::json!({ "years": years?, "regions": regions?, "divisions": divisions, "computed_at": at, "took_ms": took });
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

#[derive(serde::Deserialize, Default)]
pub struct CsvQuery {
    #[serde(flatten)]
    list: ListQuery,
    /// year (default) or region.
    #[serde(default)]
    by: String,
}

/// `GET /dashboard.csv` and `/dashboard.xlsx`: the figures behind the charts, by year or by
/// region (or any `stats --by` grouping), with the dashboard's filters — the table
/// `nianbao stats --format csv` prints, or the same as a workbook.
pub async fn download(
    State(st): State<Shared>,
    _s: Session,
    uri: axum::http::Uri,
    Query(q): Query<CsvQuery>,
) -> Result<axum::response::Response, Fail> {
    use axum::response::IntoResponse;
    let by = match q.by.as_str() {
        "" => By::Year,
        other => match By::parse(other) {
            Some(by) => by,
            None => {
                return Err(Fail::bad(format!(
                    "by 应为 year、region、province、city、county、township、level 或 template，不是 {other:?}"
                )))
            }
        }
    };
    let filter = q.list.filter();
    let groups = st.with(move |s| s.stats(by, &filter)).await?;
    if uri.path().ends_with(".xlsx") {
        let bytes = nianbao_corpus::stats::xlsx(&groups).map_err(Fail::store)?;
        return Ok((
            [
                (
                    axum::http::header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
                (
                    axum::http::header::CONTENT_DISPOSITION,
                    "attachment; filename=\"nianbao-stats.xlsx\"",
                ),
            ],
            bytes,
        )
            .into_response());
    }
    crate::export::csv_download(
        "nianbao-stats.csv",
        &nianbao_corpus::stats::HEADERS,
        groups.iter().map(|g| g.cells()),
    )
}

pub async fn page(
    State(st): State<Shared>,
    s: Session,
    Query(q): Query<ListQuery>,
) -> Result<Html<String>, Fail> {
    let d = data(&st, &q).await?;
    if d["computing"] == true {
        // dashboard.js reloads the page in a moment.
        let body = html! {
            h1 { "仪表盘" }
            p class="warn" id="computing" {
                "统计正在计算（语料库较大或服务刚启动），本页稍后自动刷新。"
                "Statistics are being computed; this page reloads itself."
            }
            script type="application/json" id="stats" { (PreEscaped("{\"computing\":true}")) }
            script src="/assets/dashboard.js" {}
        };
        return Ok(Html(frame("仪表盘", Some(&s), body)));
    }
    let when = crate::html::when(d["computed_at"].as_str().unwrap_or(""));
    let qs = q.query();
    let tree = crate::regions::cascader(&*crate::regions::counts(&st).await?, &q.division);
    let facets = crate::regions::facets(&st).await?;
    let data_link = |id: &str, file: &str, by: &str, label: &str| {
        html! { a id=(id) href={ "/dashboard." (file) "?" (qs) "&by=" (by) } { (label) } }
    };
    let body = html! {
        h1 { "仪表盘" }
        form method="get" action="/dashboard" class="filters" id="dashboard-filters" {
            (tree)
            (crate::regions::year_and_region(&facets, &q.year, &q.region, "年度（如 2023,2024）"))
            (crate::html::select("level", &q.level, crate::pages::LEVELS))
            (crate::html::select("template", &q.template, &crate::pages::templates()))
            button { "筛选" }
        }
        p class="exports" {
            "图表数据："
            (data_link("csv-year", "csv", "year", "按年度 CSV")) " "
            (data_link("csv-region", "csv", "region", "按地区 CSV")) " "
            (data_link("xlsx-year", "xlsx", "year", "按年度 XLSX")) " "
            (data_link("xlsx-region", "xlsx", "region", "按地区 XLSX"))
            " · 点击柱条查看对应报告"
        }
        @if d["stale"] == true {
            p class="warn" id="stale" {
                "语料库刚有变化，以下为 " (when) " 的统计，正在重新计算，完成后本页自动刷新。"
            }
        } @else {
            p class="muted" id="computed" { "统计时间：" (when) }
        }
        div class="charts" {
            @for id in ["requests", "outcomes", "corrections", "compliance", "divisions"] {
                div class="chart" id={ "chart-" (id) } {}
            }
        }
        // JSON for the scripts, with <, > and & written as \u escapes (script_json).
        script type="application/json" id="stats" { (PreEscaped(script_json(&d))) }
        script type="application/json" id="filters" {
            (PreEscaped(script_json(&serde_json::json!({ "query": qs }))))
        }
        script src="/assets/echarts.min.js" {}
        script src="/assets/dashboard.js" {}
    };
    Ok(Html(frame("仪表盘", Some(&s), body)))
}
