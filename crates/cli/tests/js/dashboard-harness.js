// Runs crates/web/assets/dashboard.js in node with a stand-in page and a stand-in ECharts
// that records each chart's options and click handler; prints what it recorded as JSON.
// Usage: node dashboard-harness.js SCRIPT STATS.json QUERY
const fs = require('fs');
const [script, statsFile, query] = process.argv.slice(2);
const charts = {};
const attrs = {};
const elements = {
  stats: { textContent: fs.readFileSync(statsFile, 'utf8') },
  filters: { textContent: JSON.stringify({ query }) },
};
global.document = {
  getElementById: (id) => elements[id] || { id },
  body: { setAttribute: (k, v) => { attrs[k] = v; } },
};
global.window = { addEventListener: () => {}, location: { href: '' } };
global.echarts = {
  init: (el) => {
    const c = { id: el.id };
    charts[el.id] = c;
    return {
      setOption: (o) => { c.option = o; },
      on: (ev, f) => { c.click = f; },
      resize: () => {},
    };
  },
};
eval(fs.readFileSync(script, 'utf8'));
// Where a click on the first bar of each chart goes.
const out = { attrs, charts: {} };
for (const [id, c] of Object.entries(charts)) {
  let href = null;
  if (c.click) { c.click({ dataIndex: 0 }); href = global.window.location.href; }
  out.charts[id] = { option: c.option, click: href };
}
console.log(JSON.stringify(out));
