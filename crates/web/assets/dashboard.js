// Charts of the dashboard, from the statistics embedded in the page.
(function () {
  var d = JSON.parse(document.getElementById('stats').textContent);
  var years = d.years.filter(function (g) { return g.group !== '未知'; });
  var names = years.map(function (g) { return g.group; });
  var pct = function (v) { return v == null ? null : Math.round(v * 1000) / 10; };
  var base = { animation: false, tooltip: { trigger: 'axis' }, legend: { top: 24 }, grid: { top: 64, left: 48, right: 16, bottom: 32 } };
  function chart(id, option) {
    var c = echarts.init(document.getElementById(id), null, { renderer: 'canvas' });
    c.setOption(Object.assign({}, base, option));
    window.addEventListener('resize', function () { c.resize(); });
    return c;
  }
  chart('chart-requests', {
    title: { text: '各年度收到的申请（件）' },
    xAxis: { type: 'category', data: names }, yAxis: { type: 'value' },
    series: [{ name: '本年新收', type: 'bar', data: years.map(function (g) { return g.requests_received; }) },
             { name: '办理', type: 'bar', data: years.map(function (g) { return g.requests_processed; }) }]
  });
  chart('chart-outcomes', {
    title: { text: '办理结果构成（%）' },
    xAxis: { type: 'category', data: names }, yAxis: { type: 'value', max: 100 },
    series: [['予以公开', 'granted_share'], ['部分公开', 'partial_share'], ['不予公开', 'denied_share']].map(function (s) {
      return { name: s[0], type: 'bar', stack: 'o', data: years.map(function (g) { return pct(g[s[1]]); }) };
    })
  });
  chart('chart-corrections', {
    title: { text: '复议、诉讼纠错率（%）' },
    xAxis: { type: 'category', data: names }, yAxis: { type: 'value' },
    series: [{ name: '行政复议纠错率', type: 'line', data: years.map(function (g) { return pct(g.review_corrected_rate); }) },
             { name: '行政诉讼纠错率', type: 'line', data: years.map(function (g) { return pct(g.suit_corrected_rate); }) }]
  });
  var regions = d.regions.slice(0, 30);
  chart('chart-compliance', {
    title: { text: '各地区合规情况（%）' },
    xAxis: { type: 'category', data: regions.map(function (g) { return g.group; }), axisLabel: { rotate: 30 } }, yAxis: { type: 'value', max: 100 },
    series: [['按时发布', 'on_time_rate'], ['格式正确', 'template_right_rate'], ['勾稽关系成立', 'identity_pass_rate']].map(function (s) {
      return { name: s[0], type: 'bar', data: regions.map(function (g) { return pct(g[s[1]]); }) };
    })
  });
  document.body.setAttribute('data-charts', 'ready');
})();
