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

pub async fn data(st: &Shared, q: &ListQuery) -> Result<serde_json::Value, Fail> {
    let (f1, f2) = (q.filter(), q.filter());
    let years = st.with(move |s| s.stats(By::Year, &f1)).await?;
    let regions = st.with(move |s| s.stats(By::Region, &f2)).await?;
    Ok(serde_json::json!({ "years": years, "regions": regions }))
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
