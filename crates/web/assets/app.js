// Report page: a click on a number shows where it came from in the source and fills the
// correction form. Upload page: drag and drop, progress, results per file.
(function () {
  var source = document.getElementById('source');
  var evidenceEl = document.getElementById('evidence');
  if (source && evidenceEl) {
    var text = source.textContent;
    var evidence = JSON.parse(evidenceEl.textContent);
    var info = document.getElementById('evidence-info');
    // The page as published, with the cell's box drawn on it: a PDF's own page, a scan's
    // page as OCR straightened it (with the cell image OCR read), a Word file's page as
    // LibreOffice lays it out (made on the first click, then kept by the server).
    var view = document.getElementById('page-view');
    var img = document.getElementById('page-img'), box = document.getElementById('page-box');
    var shown = null, zoom = 1;
    var place = function () {
      if (!shown || !img.naturalWidth) return;
      var p = shown, k = (img.clientWidth / img.naturalWidth) * parseFloat(view.getAttribute('data-dpi')) / 72;
      box.style.left = (p.x0 * k) + 'px'; box.style.top = (p.y0 * k) + 'px';
      box.style.width = ((p.x1 - p.x0) * k) + 'px'; box.style.height = ((p.y1 - p.y0) * k) + 'px';
      box.hidden = false;
      view.setAttribute('data-page', p.page);
      view.scrollTop = Math.max(0, p.y0 * k - view.clientHeight / 3);
      view.scrollLeft = Math.max(0, p.x0 * k - view.clientWidth / 3);
    };
    var showPage = function (p) {
      if (!view) return;
      shown = p;
      view.hidden = false;
      var report = view.getAttribute('data-report');
      var src = '/reports/' + report + '/pages/' + p.page;
      if (img.getAttribute('src') !== src) { box.hidden = true; img.onload = place; img.setAttribute('src', src); } else if (img.complete) place();
      var crop = document.getElementById('cell-crop');
      if (crop) {
        crop.setAttribute('src', src + '/cell?x0=' + p.x0 + '&y0=' + p.y0 + '&x1=' + p.x1 + '&y1=' + p.y1);
        document.getElementById('crop-view').hidden = false;
      }
    };
    if (view) {
      var zoomBy = function (f) {
        zoom = Math.min(4, Math.max(1, zoom * f));
        img.parentNode.style.width = (zoom * 100) + '%';
        place();
      };
      document.getElementById('zoom-in').addEventListener('click', function () { zoomBy(1.5); });
      document.getElementById('zoom-out').addEventListener('click', function () { zoomBy(1 / 1.5); });
    }
    // A web page's table as published, the clicked cell marked (tables asked for once each).
    var docTable = document.getElementById('doc-table'), tables = {};
    var showCell = function (p) {
      if (!docTable) return;
      var n = p.table;
      if (!tables[n]) {
        tables[n] = fetch('/reports/' + docTable.getAttribute('data-report') + '/tables/' + n)
          .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
          .catch(function () { return null; });
      }
      tables[n].then(function (rows) {
        if (!rows) return;
        var t = document.createElement('table');
        t.className = 'tpl';
        rows.forEach(function (row, r) {
          var tr = t.insertRow();
          row.forEach(function (cell, c) {
            var td = tr.insertCell();
            td.textContent = cell.text;
            if (cell.rowspan > 1) td.rowSpan = cell.rowspan;
            if (cell.colspan > 1) td.colSpan = cell.colspan;
            if (r === p.row && c === p.cell) { td.id = 'doc-hit'; td.className = 'hit'; }
          });
        });
        docTable.replaceChildren(t);
        docTable.setAttribute('data-table', n);
        docTable.hidden = false;
        var hit = document.getElementById('doc-hit');
        if (hit) docTable.scrollTop = Math.max(0, hit.offsetTop - docTable.clientHeight / 3);
      });
    };
    // A Word report's boxes on its rendering, asked for once.
    var rendering = null;
    var rendered = function (key, then) {
      if (!view || !view.hasAttribute('data-rendering')) return;
      if (!rendering) {
        info.setAttribute('data-rendering', 'pending');
        rendering = fetch('/reports/' + view.getAttribute('data-report') + '/rendering')
          .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
          .then(function (b) { info.setAttribute('data-rendering', 'ready'); return b; })
          .catch(function () { info.setAttribute('data-rendering', 'failed'); return {}; });
      }
      rendering.then(function (boxes) { if (boxes[key]) then(boxes[key]); });
    };
    var show = function (td) {
      var key = td.getAttribute('data-key');
      // People read the cell's place in the template, not its key.
      var label = td.getAttribute('data-label') || key;
      document.querySelectorAll('td.v.selected').forEach(function (x) { x.classList.remove('selected'); });
      td.classList.add('selected');
      var e = evidence[key];
      source.textContent = '';
      if (!e) {
        source.textContent = text;
        info.textContent = label + '：原文中没有对应的文字（空白单元格）';
        info.setAttribute('data-key', key);
      } else {
        var mark = document.createElement('mark');
        mark.id = 'hit';
        mark.textContent = text.slice(e.start, e.end);
        source.append(text.slice(0, e.start), mark, text.slice(e.end));
        // Where the cell is in the file as published; the line of the derived text only
        // where nothing better is known (plain text, where it is the file's own line).
        var p = e.place, where;
        if (p && p.kind === 'page') {
          where = '第 ' + p.page + ' 页，距页面左上角 ' + Math.round(p.x0) + '–' + Math.round(p.x1) + ' × ' + Math.round(p.y0) + '–' + Math.round(p.y1) + ' 磅';
          showPage(p);
        } else if (p && p.kind === 'cell') {
          where = '第 ' + (p.table + 1) + ' 个表格第 ' + (p.row + 1) + ' 行第 ' + (p.cell + 1) + ' 格';
          var onPage = function (b) {
            if (info.getAttribute('data-key') !== key) return;
            info.textContent = info.textContent.replace(/（排版后.*）$/, '') + '（排版后第 ' + b.page + ' 页）';
            showPage(b);
          };
          if (p.rendered) setTimeout(function () { onPage(p.rendered); }, 0); else rendered(key, onPage);
          showCell(p);
        } else {
          where = '第 ' + e.line + ' 行';
        }
        info.textContent = label + '：原文“' + e.raw + '”，' + where + (e.confidence < 1 ? '（可信度 ' + Math.round(e.confidence * 100) + '%）' : '');
        info.setAttribute('data-key', key);
        mark.scrollIntoView({ block: 'center' });
      }
      var k = document.getElementById('key'), v = document.getElementById('value');
      if (k && v) { k.value = key; v.value = td.getAttribute('data-value'); }
      var kl = document.getElementById('key-label');
      if (kl) kl.value = label;
      var ck = document.getElementById('comment-key');
      if (ck) ck.value = key;
      var ckl = document.getElementById('comment-key-label');
      if (ckl) ckl.value = label;
    };
    document.querySelectorAll('td.v').forEach(function (td) {
      td.addEventListener('click', function () { show(td); });
      td.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') show(td); });
    });
    document.querySelectorAll('button.fix').forEach(function (b) {
      b.addEventListener('click', function () {
        var td = document.querySelector('td.v[data-key="' + b.getAttribute('data-key') + '"]');
        if (td) show(td);
        var v = document.getElementById('value');
        if (v) { v.value = b.getAttribute('data-value'); document.getElementById('reason').focus(); }
      });
    });
  }

  var form = document.getElementById('upload-form');
  if (form) {
    var input = document.getElementById('files'), drop = document.getElementById('drop');
    var bar = document.getElementById('progress'), results = document.getElementById('results');
    var dropped = null;
    drop.addEventListener('dragover', function (e) { e.preventDefault(); drop.classList.add('over'); });
    drop.addEventListener('dragleave', function () { drop.classList.remove('over'); });
    drop.addEventListener('drop', function (e) {
      e.preventDefault(); drop.classList.remove('over'); dropped = e.dataTransfer.files;
      drop.setAttribute('data-count', dropped.length);
    });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var data = new FormData();
      var files = dropped || input.files;
      var agency = document.getElementById('upload-agency');
      if (agency) data.append('agency', agency.value);
      for (var i = 0; i < files.length; i++) data.append('files', files[i], files[i].name);
      var xhr = new XMLHttpRequest();
      xhr.open('POST', '/api/jobs');
      xhr.setRequestHeader('X-CSRF-Token', document.querySelector('meta[name=csrf]').content);
      bar.hidden = false;
      xhr.upload.onprogress = function (p) { if (p.lengthComputable) bar.value = Math.round(100 * p.loaded / p.total); };
      var stages = { queued: '排队中', reading: '读取中', stored: '已入库', failed: '未入库' };
      // The files are read in the background: show each one's stage until all are done.
      function show(body) {
        results.textContent = '';
        var done = body.done;
        var list = document.createElement('ul');
        list.id = done ? 'upload-results' : 'job-status';
        (body.files || [{ file: '', stage: 'failed', message: body.error }]).forEach(function (r) {
          var li = document.createElement('li');
          li.className = r.stage === 'stored' ? 'ok' : (r.stage === 'failed' ? 'bad' : 'pending');
          li.textContent = r.file + '：' + (r.message || stages[r.stage] || '');
          if (r.report) { var a = document.createElement('a'); a.href = '/reports/' + r.report; a.textContent = ' 查看'; li.appendChild(a); }
          list.appendChild(li);
        });
        results.appendChild(list);
        if (body.url) { var j = document.createElement('a'); j.href = body.url; j.id = 'job-link'; j.textContent = '任务页面'; results.appendChild(j); results.appendChild(document.createTextNode(' · ')); }
        var a = document.createElement('a'); a.href = '/'; a.textContent = '查看报告'; results.appendChild(a);
        if (!done && body.url) setTimeout(function () { poll(body.url); }, 1000);
      }
      function poll(url) {
        fetch('/api' + url).then(function (r) { return r.json(); }).then(show);
      }
      xhr.onload = function () {
        bar.value = 100;
        var body;
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = { done: true, error: '上传失败 (' + xhr.status + ')' }; }
        if (body.error) body.done = true;
        show(body);
      };
      xhr.send(data);
    });
  }
  // Review queue: `n` opens the next report to review (not while typing).
  var next = document.getElementById('next-link');
  if (next) {
    document.addEventListener('keydown', function (ev) {
      var t = ev.target.tagName;
      if (ev.key === 'n' && !ev.ctrlKey && !ev.metaKey && t !== 'INPUT' && t !== 'TEXTAREA' && t !== 'SELECT') next.click();
    });
  }
})();

// Region tree of the filter forms: choosing a division (or 全部 at a level) filters at once.
(function () {
  document.querySelectorAll('select.division').forEach(function (sel) {
    sel.addEventListener('change', function () {
      var form = sel.form, hidden = form.querySelector('input[name=division]');
      hidden.value = sel.value;
      form.submit();
    });
  });
})();
