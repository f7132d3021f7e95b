// 新建年报: check the tables as the user types (debounced), mark the cells findings name.
(function () {
  var form = document.getElementById('compose');
  if (!form) return;
  var list = document.getElementById('live-findings');
  var csrf = document.querySelector('meta[name=csrf]').content;
  var timer = null;
  function run() {
    var values = {};
    form.querySelectorAll('input[data-key]').forEach(function (i) { if (i.value.trim() !== '') values[i.getAttribute('data-key')] = i.value.trim(); });
    var year = parseInt(form.querySelector('input[name=year]').value, 10);
    fetch('/api/check', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }, body: JSON.stringify({ year: year, values: values }) })
      .then(function (r) { return r.json(); })
      .then(function (b) {
        list.textContent = '';
        form.querySelectorAll('input.err').forEach(function (i) { i.classList.remove('err'); });
        var findings = b.findings || [{ severity: 'error', message_zh: b.error, cells: [] }];
        findings.forEach(function (f) {
          var li = document.createElement('li');
          li.className = f.severity === 'error' ? 'err' : (f.severity === 'warning' ? 'warn' : 'info');
          li.textContent = f.message_zh;
          list.appendChild(li);
          (f.cells || []).forEach(function (k) {
            var i = form.querySelector('input[data-key="' + k + '"]');
            if (i && f.severity === 'error') i.classList.add('err');
          });
        });
        if (!findings.some(function (f) { return f.severity === 'error' || f.severity === 'warning'; })) { var ok = document.createElement('li'); ok.className = 'ok'; ok.id = 'all-clear'; ok.textContent = '勾稽关系全部成立。'; list.appendChild(ok); }
        list.setAttribute('data-checked', String(Date.now()));
      });
  }
  form.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(run, 300); });
  run();
})();
