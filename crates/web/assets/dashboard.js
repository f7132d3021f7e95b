// Charts of the dashboard, from the statistics embedded in the page. Every category shows
// how many reports it rests on (n); a click on a bar opens the reports behind it.
(function () {
  var d = JSON.parse(document.getElementById('stats').textContent);
  // Figures still being computed on the server: ask again shortly.
  if (d.computing) { setTimeout(function () { window.location.reload(); }, 1500); return; }
  // Figures from before the last change: shown, and the page asks again for new ones.
  if (d.stale) { setTimeout(function () { window.location.reload(); }, 5000); }
  var query = JSON.parse(document.getElementById('filters').textContent).query || '';
  var years = d.years.filter(function (g) { return g.group !== '未知'; });
  var names = years.map(function (g) { return g.group; });
  var labels = years.map(function (g) { return g.group + '\n(n=' + g.reports + ')'; });
  var pct = function (v) { return v == null ? null : Math.round(v * 1000) / 10; };
  // Title on its own line, the legend under it, the plot under both.
  var base = { animation: false, tooltip: { trigger: 'axis' }, title: { top: 0, left: 0, textStyle: { fontSize: 14 } },
               legend: { top: 28, left: 0 }, grid: { top: 72, left: 48, right: 16, bottom: 48 } };
  function chart(id, option, open) {
    var c = echarts.init(document.getElementById(id), null, { renderer: 'canvas' });
    var o = Object.assign({}, base, option);
    o.title = Object.assign({}, base.title, option.title);
    c.setOption(o);
    if (open) c.on('click', function (p) { window.location.href = open(p.dataIndex); });
    window.addEventListener('resize', function () { c.resize(); });
    return c;
  }
  // The list of reports with this page's filters and one more.
  function list(key, value) {
    var parts = query.split('&').filter(function (kv) { return kv.split('=')[0] !== key; });
    parts.push(key + '=' + encodeURIComponent(value));
    return '/?' + parts.join('&');
  }
  var byYear = function (i) { return list('year', names[i]); };
  chart('chart-requests', {
    title: { text: '各年度收到的申请（件）' },
    xAxis: { type: 'category', data: labels }, yAxis: { type: 'value' },
    series: [{ name: '本年新收', type: 'bar', data: years.map(function (g) { return g.requests_received; }) },
             { name: '办理', type: 'bar', data: years.map(function (g) { return g.requests_processed; }) }]
  }, byYear);
  // The outcomes as shares of all requests processed: the three main ones and the rest
  // (无法提供, 不予处理, 其他处理), so each bar adds up to 100 %.
  var shares = years.map(function (g) {
    var s = [g.granted_share, g.partial_share, g.denied_share];
    if (s.every(function (v) { return v == null; })) return [null, null, null, null];
    var sum = s.reduce(function (a, v) { return a + (v || 0); }, 0);
    return s.map(pct).concat([Math.max(0, Math.round((1 - sum) * 1000) / 10)]);
  });
  chart('chart-outcomes', {
    title: { text: '办理结果构成（占办理总数 %）' },
    xAxis: { type: 'category', data: labels }, yAxis: { type: 'value', max: 100 },
    series: ['予以公开', '部分公开', '不予公开', '无法提供、不予处理及其他'].map(function (name, k) {
      return { name: name, type: 'bar', stack: 'o', data: shares.map(function (s) { return s[k]; }) };
    })
  }, byYear);
  chart('chart-corrections', {
    title: { text: '复议、诉讼纠错率（%）' },
    xAxis: { type: 'category', data: years.map(function (g) { return g.group + '\n(复议' + g.reviews + '、诉讼' + g.suits + ')'; }) },
    yAxis: { type: 'value' },
    series: [{ name: '行政复议纠错率', type: 'line', data: years.map(function (g) { return pct(g.review_corrected_rate); }) },
             { name: '行政诉讼纠错率', type: 'line', data: years.map(function (g) { return pct(g.suit_corrected_rate); }) }]
  }, byYear);
  // Every region; past 30 a slider scrolls through them.
  var regions = d.regions;
  var many = regions.length > 30;
  chart('chart-compliance', {
    title: { text: '各地区合规情况（%，共 ' + regions.length + ' 个地区）' },
    // Names and counts on one slanted line; labels that would overlap a neighbour are left
    // out (the tooltip and the slider still show every region); the plot makes room for them.
    xAxis: { type: 'category', data: regions.map(function (g) { return g.group + ' (n=' + g.reports + ')'; }),
             axisLabel: { rotate: 45, hideOverlap: true } },
    yAxis: { type: 'value', max: 100 },
    dataZoom: many ? [{ type: 'slider', startValue: 0, endValue: 29, bottom: 0 }] : [],
    grid: { top: 72, left: 48, right: 16, bottom: many ? 40 : 8, containLabel: true },
    series: [['按时发布', 'on_time_rate'], ['格式正确', 'template_right_rate'], ['勾稽关系成立', 'identity_pass_rate']].map(function (s) {
      return { name: s[0], type: 'bar', data: regions.map(function (g) { return pct(g[s[1]]); }) };
    })
  }, function (i) { return list('region', regions[i].group); });
  // One level below the division filter (provinces without one); a click drills down.
  var divisions = (d.divisions || []).filter(function (g) { return /^\d/.test(g.group); });
  var unplaced = (d.divisions || []).filter(function (g) { return !/^\d/.test(g.group); });
  var unplacedN = unplaced.reduce(function (a, g) { return a + g.reports; }, 0);
  chart('chart-divisions', {
    title: { text: '下级行政区划（报告数，未定位 ' + unplacedN + ' 份）· 点击进入' },
    xAxis: { type: 'category', data: divisions.map(function (g) { return g.group.split(' ')[1] + ' (n=' + g.reports + ')'; }),
             axisLabel: { rotate: 45, hideOverlap: true } },
    yAxis: { type: 'value' },
    grid: { top: 72, left: 48, right: 16, bottom: 8, containLabel: true },
    series: [{ name: '报告', type: 'bar', data: divisions.map(function (g) { return g.reports; }) },
             { name: '勾稽关系不成立', type: 'bar', data: divisions.map(function (g) { return g.reports - Math.round((g.identity_pass_rate || 0) * g.reports); }) }]
  }, function (i) {
    if (!divisions[i]) return window.location.href;
    var parts = query.split('&').filter(function (kv) { return kv.split('=')[0] !== 'division'; });
    parts.push('division=' + divisions[i].group.split(' ')[0]);
    return '/dashboard?' + parts.join('&');
  });
  document.body.setAttribute('data-charts', 'ready');
})();
