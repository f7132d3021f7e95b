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
  // Drafts: what is typed is kept in this browser (per agency and year) until the report is
  // submitted, and restored when the form is opened again; leaving with unsaved typing asks first.
  var agency = form.querySelector('input[name=agency]').value;
  var draftKey = 'nianbao-draft:' + agency + '|' + form.querySelector('input[name=year]').value;
  var fields = function () { return form.querySelectorAll('input[data-key], textarea, input[name=published]'); };
  var store = null;
  try { store = window.localStorage; } catch (e) { store = null; }
  function save() {
    if (!store) return;
    var d = {};
    fields().forEach(function (i) { d[i.name] = i.value; });
    try { store.setItem(draftKey, JSON.stringify(d)); } catch (e) { /* storage full or off */ }
  }
  var saved = store && store.getItem(draftKey);
  if (saved) {
    var d = {};
    try { d = JSON.parse(saved) || {}; } catch (e) { d = {}; }
    fields().forEach(function (i) { if (Object.prototype.hasOwnProperty.call(d, i.name)) i.value = d[i.name]; });
    var note = document.createElement('p');
    note.id = 'draft-restored'; note.className = 'ok';
    note.textContent = '已恢复本浏览器中未提交的草稿。';
    var discard = document.createElement('button');
    discard.type = 'button'; discard.id = 'discard-draft'; discard.textContent = '丢弃草稿';
    discard.addEventListener('click', function () { store.removeItem(draftKey); form.setAttribute('data-dirty', '0'); location.reload(); });
    note.appendChild(document.createTextNode(' ')); note.appendChild(discard);
    form.parentNode.insertBefore(note, form);
    run();
  }
  form.setAttribute('data-dirty', '0');
  form.addEventListener('input', function () { form.setAttribute('data-dirty', '1'); save(); });
  form.addEventListener('submit', function (e) {
    form.setAttribute('data-dirty', '0');
    // A download keeps the draft; submitting into the corpus ends it.
    var by = e.submitter;
    if (!(by && by.getAttribute('formaction')) && store) store.removeItem(draftKey);
  });
  window.addEventListener('beforeunload', function (e) {
    if (form.getAttribute('data-dirty') === '1') { e.preventDefault(); e.returnValue = ''; }
  });
})();
