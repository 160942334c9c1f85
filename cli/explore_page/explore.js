// explore.js - the page of `sanctionsim explore`: the levers of
// /api/levers as sliders, switches and selects; a change (debounced)
// starts a run (POST /api/run), whose answers (GET /api/result, polled)
// are drawn as inline SVG. No framework, nothing loaded from elsewhere.
// The requests and answers: cli/explore_api.h.
//
// The page never waits on the server: requests run in the background, the
// newest run supersedes older ones (answers for another run id are
// dropped), and drawing happens in requestAnimationFrame from the newest
// answer only. For tests: charts, the command, the status line carry
// data-testid; each lever's control data-path; the comparison and summary
// cells data-metric and data-value (the number as JSON gave it).
'use strict';

(function () {
  var SVGNS = 'http://www.w3.org/2000/svg';
  // Okabe-Ito: distinguishable with the common colour-vision deficiencies.
  var C = {
    changed: '#0072B2', base: '#E69F00', us: '#0072B2', eu: '#D55E00',
    border: '#009E73', ink: '#222222', grid: '#dddddd', muted: '#666666',
    sig: '#0072B2', nonsig: '#999999'
  };
  var DEBOUNCE_MS = 300, POLL_MS = 500;

  var st = {
    info: null,            // the answer of /api/levers
    levers: {},            // path -> {lever, control, number, row, error}
    changes: [],           // [{path, value}] in the order made
    seed: '',
    postSeq: 0,            // number of the newest POST sent
    run: null,             // id of the newest run the server started
    result: null,          // newest answer for st.run
    drawn: null,           // the answer drawn last
    pollTimer: null, polling: false, debounce: null, drawPending: false
  };

  function $(id) { return document.getElementById(id); }

  // An HTML element: attrs (null-valued ones skipped), children (strings
  // become text).
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    setAttrs(e, attrs);
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined)
        e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return e;
  }

  function sv(tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    setAttrs(e, attrs);
    if (text !== undefined)
      e.textContent = text;
    return e;
  }

  function setAttrs(e, attrs) {
    Object.keys(attrs || {}).forEach(function (k) {
      if (attrs[k] !== null && attrs[k] !== undefined)
        e.setAttribute(k, attrs[k]);
    });
  }

  // fetch returning {status, body}; body is the parsed JSON or
  // {error: text} when the answer is not JSON.
  function api(url, opts) {
    return fetch(url, opts).then(function (res) {
      return res.text().then(function (t) {
        var body;
        try { body = JSON.parse(t); } catch (e) {
          body = {error: 'HTTP ' + res.status + ': ' + t.slice(0, 200)};
        }
        return {status: res.status, body: body, text: t};
      });
    });
  }

  // ---- number formatting -------------------------------------------------

  function fmt(x, digits) {
    if (x === null || x === undefined || !isFinite(x))
      return '–';
    var a = Math.abs(x);
    if (a !== 0 && (a >= 1e7 || a < 1e-3))
      return x.toExponential(2);
    var d = digits === undefined ? 4 : digits;
    var dec = a >= 1 ? Math.max(0, d - 1 - Math.floor(Math.log10(a))) : d;
    var s = x.toLocaleString('en-US', {maximumFractionDigits: Math.min(dec, 6)});
    return s === '-0' ? '0' : s.replace(/^-/, '−');
  }

  function fmtInt(x) { return Math.round(x).toLocaleString('en-US'); }

  // The top-level "seed" of an answer as its digits: a seed may exceed
  // 2^53, which a JavaScript number would round.
  function seedOf(r) {
    var m = /"seed"\s*:\s*(\d+)/.exec(r.text || '');
    return m ? m[1] : (r.body.seed !== undefined ? String(r.body.seed) : null);
  }

  // ---- levers ------------------------------------------------------------

  function originalValue(path) {
    var l = st.levers[path];
    return l ? String(l.lever.value) : null;
  }

  function sameValue(a, b) {
    if (a === b)
      return true;
    var x = Number(a), y = Number(b);
    return a !== '' && b !== '' && !isNaN(x) && !isNaN(y) && x === y;
  }

  function buildLevers(info) {
    var box = $('groups');
    box.textContent = '';
    (info.groups || []).forEach(function (g, gi) {
      var det = el('details', {class: 'group', 'data-group': g.name});
      if (gi < 2)
        det.open = true;
      det.appendChild(el('summary', null, [
        g.label || g.name, el('span', {class: 'count'}, [' (' + (g.levers || []).length + ')'])]));
      (g.levers || []).forEach(function (lv) { det.appendChild(leverRow(lv)); });
      box.appendChild(det);
    });
  }

  function leverRow(lv) {
    var id = 'lv-' + lv.path.replace(/[^A-Za-z0-9_-]/g, '_');
    var row = el('div', {class: 'lever lever-' + lv.kind, 'data-lever': lv.path,
      title: lv.path + (lv.help ? ': ' + lv.help : '') +
        (lv.restart === false ? '' : ' (a change starts a new run)')});
    var rec = {lever: lv, row: row, control: null, number: null, error: null};
    var unit = lv.unit ? el('span', {class: 'unit'}, [lv.unit]) : null;
    var tag = lv.restart === false ? el('span', {class: 'tag'}, ['display only']) : null;
    if (lv.kind === 'bool') {
      rec.control = el('input', {type: 'checkbox', id: id, 'data-path': lv.path, role: 'switch'});
      rec.control.checked = lv.value === true || lv.value === 'true';
      row.appendChild(el('label', {class: 'switch', for: id}, [
        rec.control, el('span', {class: 'knob', 'aria-hidden': 'true'}),
        el('span', {class: 'label'}, [lv.label || lv.path]), tag]));
      rec.control.addEventListener('change', function () {
        leverChanged(lv.path, rec.control.checked ? 'true' : 'false');
      });
    } else if (lv.kind === 'choice') {
      rec.control = el('select', {id: id, 'data-path': lv.path},
        (lv.choices || []).map(function (c) { return el('option', {value: c}, [c]); }));
      rec.control.value = String(lv.value);
      row.appendChild(el('label', {class: 'label', for: id}, [lv.label || lv.path, tag]));
      row.appendChild(rec.control);
      rec.control.addEventListener('change', function () {
        leverChanged(lv.path, rec.control.value);
      });
    } else {
      numericLever(lv, id, rec, unit, tag);
    }
    if (lv.help)
      row.appendChild(el('div', {class: 'help'}, [lv.help]));
    rec.error = el('div', {class: 'field-error', 'data-error-for': lv.path, role: 'alert'});
    row.appendChild(rec.error);
    st.levers[lv.path] = rec;
    return row;
  }

  // A slider with the sensible range and a text box with the value (typed
  // values outside the slider's range go to the server as typed).
  function numericLever(lv, id, rec, unit, tag) {
    var v = Number(lv.value);
    var lo = isFinite(lv.min) ? lv.min : Math.min(0, v);
    var hi = isFinite(lv.max) ? lv.max : Math.max(1, v * 2);
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
    var step = lv.step > 0 ? lv.step : (lv.kind === 'int' ? 1 : (hi - lo) / 1000 || 'any');
    rec.control = el('input', {type: 'range', id: id, 'data-path': lv.path, min: lo, max: hi,
      step: step, 'aria-label': lv.label || lv.path});
    rec.control.value = String(v);
    rec.number = el('input', {type: 'text', inputmode: 'decimal', class: 'num',
      'data-path-number': lv.path, spellcheck: 'false', 'aria-label': (lv.label || lv.path) + ' value'});
    rec.number.value = String(lv.value);
    var head = el('div', {class: 'lever-head'}, [
      el('label', {class: 'label', for: id}, [lv.label || lv.path]), tag, unit]);
    rec.row.appendChild(head);
    rec.row.appendChild(el('div', {class: 'lever-input'}, [rec.control, rec.number]));
    rec.control.addEventListener('input', function () {
      rec.number.value = rec.control.value;
      leverChanged(lv.path, rec.control.value);
    });
    rec.number.addEventListener('input', function () {
      var t = rec.number.value.trim();
      if (t === '')
        return;
      if (isFinite(Number(t)))
        rec.control.value = t;
      leverChanged(lv.path, t);
    });
  }

  // Shows value on the lever's controls (after a reset or a set by path).
  function showOnLever(path, value) {
    var rec = st.levers[path];
    if (!rec)
      return;
    if (rec.lever.kind === 'bool')
      rec.control.checked = value === 'true';
    else if (rec.lever.kind === 'choice')
      rec.control.value = value;
    else {
      rec.number.value = value;
      if (isFinite(Number(value)))
        rec.control.value = value;
    }
  }

  // ---- the list of changes -------------------------------------------------

  function setChange(path, value) {
    var i = st.changes.findIndex(function (c) { return c.path === path; });
    var orig = originalValue(path);
    if (orig !== null && sameValue(value, orig)) {
      if (i >= 0)
        st.changes.splice(i, 1);
    } else if (i >= 0) {
      st.changes[i].value = value;
    } else {
      st.changes.push({path: path, value: value});
    }
    clearError(path);
    renderChanges();
  }

  function leverChanged(path, value) {
    setChange(path, value);
    var rec = st.levers[path];
    if (!rec || rec.lever.restart !== false)
      scheduleRun();
  }

  function renderChanges() {
    var ul = $('changes');
    ul.textContent = '';
    if (!st.changes.length)
      ul.appendChild(el('li', {class: 'empty'}, ['none: the scenario as it is']));
    st.changes.forEach(function (c) {
      var orig = originalValue(c.path);
      var reset = el('button', {type: 'button', class: 'reset', title: 'back to ' +
        (orig === null ? "the scenario's value" : orig), 'aria-label': 'reset ' + c.path}, ['reset']);
      reset.addEventListener('click', function () { resetChange(c.path); });
      ul.appendChild(el('li', {'data-change': c.path}, [
        el('code', null, [c.path + ' = ' + c.value]),
        orig === null ? null : el('span', {class: 'was'}, ['was ' + orig]), reset,
        el('div', {class: 'field-error', 'data-error-for': c.path})]));
    });
    $('reset-all').disabled = !st.changes.length;
  }

  function resetChange(path) {
    st.changes = st.changes.filter(function (c) { return c.path !== path; });
    var orig = originalValue(path);
    if (orig !== null)
      showOnLever(path, orig);
    clearError(path);
    renderChanges();
    scheduleRun();
  }

  function resetAll() {
    st.changes.forEach(function (c) {
      var orig = originalValue(c.path);
      if (orig !== null)
        showOnLever(c.path, orig);
    });
    st.changes = [];
    clearErrors();
    renderChanges();
    scheduleRun();
  }

  function setByPath(ev) {
    ev.preventDefault();
    var input = $('by-path-input');
    var t = input.value;
    var eq = t.indexOf('=');
    var path = eq < 0 ? '' : t.slice(0, eq).trim();
    var value = eq < 0 ? '' : t.slice(eq + 1).trim();
    if (!path || !value) {
      showError('by-path', 'write PATH = VALUE, e.g. tension.decay = 0.9');
      return;
    }
    clearError('by-path');
    setChange(path, value);
    showOnLever(path, value);
    input.value = '';
    scheduleRun();
  }

  // ---- errors next to the field concerned --------------------------------

  function errorBoxes(key) {
    return Array.prototype.filter.call(document.querySelectorAll('[data-error-for]'),
      function (e) { return e.getAttribute('data-error-for') === key; });
  }

  function showError(key, msg) {
    var boxes = errorBoxes(key);
    boxes.forEach(function (b) {
      b.textContent = msg;
      var det = b.closest('details');
      if (det)
        det.open = true;
    });
    var rec = st.levers[key];
    if (rec)
      rec.row.classList.add('bad');
    var li = document.querySelector('li[data-change="' + cssEscape(key) + '"]');
    if (li)
      li.classList.add('bad');
    return boxes.length > 0;
  }

  function clearError(key) {
    errorBoxes(key).forEach(function (b) { b.textContent = ''; });
    var rec = st.levers[key];
    if (rec)
      rec.row.classList.remove('bad');
  }

  function clearErrors() {
    document.querySelectorAll('[data-error-for]').forEach(function (b) { b.textContent = ''; });
    document.querySelectorAll('.bad').forEach(function (b) { b.classList.remove('bad'); });
    $('run-error').textContent = '';
  }

  function cssEscape(s) {
    return window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/["\\]/g, '\\$&');
  }

  // A 4xx answer: the message beside the lever or field of its key (or of
  // the change whose path starts the message), and above the charts.
  function showRunError(body) {
    var msg = body && body.error ? body.error : 'the server refused the request';
    var key = body && body.key;
    if (!key) {
      st.changes.forEach(function (c) {
        if (!key && msg.indexOf(c.path + '=') >= 0)
          key = c.path;
      });
    }
    if (key)
      showError(key, msg);
    if (key && !st.levers[key] && key !== 'seed')
      showError('by-path', msg);        // a key set by path
    $('run-error').textContent = msg + ' (the charts still show the last accepted settings)';
  }

  // ---- runs ------------------------------------------------------------------

  function scheduleRun() {
    clearTimeout(st.debounce);
    st.debounce = setTimeout(startRun, DEBOUNCE_MS);
  }

  function startRun() {
    st.debounce = null;
    var seed = $('seed').value.trim();
    if (!/^[0-9]+$/.test(seed)) {
      showError('seed', 'the seed is a whole number from 0 to 2^63 - 1');
      return;
    }
    clearError('seed');
    var body = ['seed=' + encodeURIComponent(seed)];
    st.changes.forEach(function (c) {
      body.push('set=' + encodeURIComponent(c.path + '=' + c.value));
    });
    var seq = ++st.postSeq;
    setStatus(null, 'starting a run…');
    api('/api/run', {method: 'POST', body: body.join('&'),
      headers: {'Content-Type': 'application/x-www-form-urlencoded'}})
      .then(function (r) {
        if (seq !== st.postSeq)
          return;                      // a newer POST was sent meanwhile
        if (r.status !== 200) {
          showRunError(r.body);
          setStatus(st.result, null);
          return;
        }
        clearErrors();
        st.run = r.body.run;
        st.seed = seedOf(r) || seed;
        showWarnings(r.body.warnings || []);
        setCommand(r.body.command, r.body.run, null);
        setStatus(null, 'run ' + r.body.run + ' started');
        schedulePoll(150);
      })
      .catch(function (e) {
        if (seq === st.postSeq)
          setStatus(st.result, 'the server does not answer (' + e.message + ')');
      });
  }

  function schedulePoll(ms) {
    clearTimeout(st.pollTimer);
    st.pollTimer = null;
    if (st.polling)
      return;                          // the answer under way polls again
    st.pollTimer = setTimeout(poll, ms);
  }

  function poll() {
    st.pollTimer = null;
    var id = st.run;
    if (id === null)
      return;
    st.polling = true;
    api('/api/result?run=' + encodeURIComponent(id))
      .then(function (r) {
        st.polling = false;
        if (id !== st.run) {           // superseded while under way
          schedulePoll(0);
          return;
        }
        if (r.status !== 200 || r.body.run !== id) {
          setStatus(st.result, r.body.error || 'no answer for run ' + id);
          schedulePoll(r.status === 404 ? 2000 : 1000);
          return;
        }
        st.result = r.body;
        r.body.seedText = seedOf(r);
        requestDraw();
        if (r.body.state === 'running')
          schedulePoll(POLL_MS);
      })
      .catch(function (e) {
        st.polling = false;
        setStatus(st.result, 'the server does not answer (' + e.message + '); retrying');
        schedulePoll(2000);
      });
  }

  function requestDraw() {
    if (st.drawPending)
      return;
    st.drawPending = true;
    requestAnimationFrame(function () {
      st.drawPending = false;
      var r = st.result;
      if (!r || r === st.drawn)
        return;
      st.drawn = r;
      drawAll(r);
    });
  }

  function showWarnings(list) {
    var ul = $('warnings');
    ul.textContent = '';
    list.forEach(function (w) { ul.appendChild(el('li', null, ['warning: ' + w])); });
  }

  function setCommand(cmd, run, reps) {
    var c = $('command');
    c.textContent = cmd || '';
    setAttrs(c, {'data-run': run, 'data-replications': reps === null ? '' : reps});
    var a = $('download');
    a.href = '/api/scenario.cfg?run=' + encodeURIComponent(run);
    a.classList.remove('disabled');
  }

  // The status line: from the answer r (or the newest run), with an extra
  // note when given.
  function setStatus(r, note) {
    var s = $('status');
    var parts = [];
    if (r) {
      parts.push('run ' + r.run + ': ' + r.state + ', ' + fmtInt(r.replications) + ' of ' +
        fmtInt(r.target) + ' replications, seed ' + (r.seedText || r.seed));
      if (r.state === 'running' && r.per_second > 0)
        parts.push(fmtInt(r.per_second) + ' a second');
      setAttrs(s, {'data-run': r.run, 'data-state': r.state,
        'data-replications': r.replications, 'data-target': r.target,
        'data-seed': r.seedText || r.seed});
      var f = r.target > 0 ? Math.min(1, r.replications / r.target) : 0;
      $('progress-bar').style.width = (100 * f).toFixed(1) + '%';
      $('progress').className = r.state;
    }
    if (note)
      parts.push(note);
    s.textContent = parts.join(' · ') || 'waiting for the first replications…';
  }

  // ---- drawing -------------------------------------------------------------

  function drawAll(r) {
    var note = null;
    if (r.state === 'cancelled')
      note = 'cancelled by the server';
    else if (r.state === 'failed')
      note = 'the run failed' + (r.error ? ': ' + r.error : '');
    setStatus(r, note);
    setCommand(r.command, r.run, r.replications);
    drawStock($('chart-stock'), r);
    drawReleases($('chart-releases'), r);
    drawLifted($('chart-lifted'), r);
    drawCompare(r.compare || []);
    drawSummary(r.summary || []);
  }

  // "Nice" ticks covering [lo, hi], about n of them.
  function ticks(lo, hi, n) {
    if (!(hi > lo))
      hi = lo + 1;
    var raw = (hi - lo) / n, mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 2.5, 5, 10].map(function (m) { return m * mag; })
      .find(function (s) { return s >= raw; });
    var out = [];
    for (var v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step)
      out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
    return {step: step, values: out, lo: Math.floor(lo / step + 1e-9) * step,
      hi: Math.ceil(hi / step - 1e-9) * step};
  }

  // A plot area: maps data to pixels, draws grid, axes and labels into g.
  function frame(g, box, xr, yr, opt) {
    var xt = opt.xticks || ticks(xr[0], xr[1], opt.nx || 6);
    var yt = ticks(yr[0], yr[1], opt.ny || 5);
    var x0 = opt.xnice === false ? xr[0] : xt.lo, x1 = opt.xnice === false ? xr[1] : xt.hi;
    var y0 = yt.lo, y1 = yt.hi;
    var f = {
      x: function (v) { return box.x + (v - x0) / (x1 - x0) * box.w; },
      y: function (v) { return box.y + box.h - (v - y0) / (y1 - y0) * box.h; }
    };
    var fs = opt.fontSize || 11;
    yt.values.forEach(function (v) {
      if (v < y0 - 1e-9 || v > y1 + 1e-9)
        return;
      g.appendChild(sv('line', {x1: box.x, x2: box.x + box.w, y1: f.y(v), y2: f.y(v),
        stroke: C.grid, 'stroke-width': 1}));
      if (opt.ylabels !== false)
        g.appendChild(sv('text', {x: box.x - 4, y: f.y(v) + fs * 0.35, 'text-anchor': 'end',
          'font-size': fs, fill: C.muted}, (opt.yfmt || fmt)(v)));
    });
    g.appendChild(sv('line', {x1: box.x, x2: box.x + box.w, y1: box.y + box.h, y2: box.y + box.h,
      stroke: C.ink, 'stroke-width': 1}));
    xt.values.forEach(function (v) {
      if (v < x0 - 1e-9 || v > x1 + 1e-9)
        return;
      g.appendChild(sv('line', {x1: f.x(v), x2: f.x(v), y1: box.y + box.h, y2: box.y + box.h + 3,
        stroke: C.ink}));
      if (opt.xlabels !== false)
        g.appendChild(sv('text', {x: f.x(v), y: box.y + box.h + 4 + fs, 'text-anchor': 'middle',
          'font-size': fs, fill: C.muted}, fmt(v)));
    });
    if (opt.xtitle)
      g.appendChild(sv('text', {x: box.x + box.w / 2, y: box.y + box.h + 8 + 2 * fs,
        'text-anchor': 'middle', 'font-size': fs + 1, fill: C.ink}, opt.xtitle));
    if (opt.ytitle) {
      var cy = box.y + box.h / 2;
      g.appendChild(sv('text', {x: 0, y: 0, 'text-anchor': 'middle', 'font-size': fs + 1,
        fill: C.ink, transform: 'translate(' + (fs + 2) + ',' + cy + ') rotate(-90)'}, opt.ytitle));
    }
    return f;
  }

  function path(xs, ys, f) {
    var d = '';
    for (var i = 0; i < xs.length; i++) {
      if (!isFinite(ys[i]))
        continue;
      d += (d ? 'L' : 'M') + f.x(xs[i]).toFixed(1) + ',' + f.y(ys[i]).toFixed(1);
    }
    return d;
  }

  function band(xs, lo, hi, f) {
    var d = '';
    for (var i = 0; i < xs.length; i++)
      d += (i ? 'L' : 'M') + f.x(xs[i]).toFixed(1) + ',' + f.y(hi[i]).toFixed(1);
    for (var j = xs.length - 1; j >= 0; j--)
      d += 'L' + f.x(xs[j]).toFixed(1) + ',' + f.y(lo[j]).toFixed(1);
    return d + 'Z';
  }

  function clear(svg) {
    svg.textContent = '';
    var g = sv('g', {'font-family': 'system-ui, sans-serif'});
    svg.appendChild(g);
    return g;
  }

  function empty(g, w, h, msg) {
    g.appendChild(sv('text', {x: w / 2, y: h / 2, 'text-anchor': 'middle', 'font-size': 13,
      fill: C.muted}, msg));
  }

  // A legend from (x, y), each item as wide as its label, in rows that
  // wrap before maxX (if given); returns the baseline of its last row.
  function legend(g, x, y, items, maxX) {
    var x0 = x;
    items.forEach(function (it) {
      var room = 20 + 6.2 * it.label.length;
      if (maxX && x > x0 && x + room > maxX) {
        x = x0;
        y += 15;
      }
      if (it.kind === 'band')
        g.appendChild(sv('rect', {x: x, y: y - 8, width: 16, height: 10, fill: it.color,
          'fill-opacity': it.opacity}));
      else if (it.kind === 'bar')
        g.appendChild(sv('rect', {x: x + 3, y: y - 8, width: 10, height: 10, fill: it.color,
          'fill-opacity': it.opacity || 1}));
      else if (it.kind === 'line')
        g.appendChild(sv('line', {x1: x, x2: x + 16, y1: y - 3, y2: y - 3, stroke: it.color,
          'stroke-width': it.width || 2, 'stroke-dasharray': it.dash || null}));
      else
        x -= 20;                       // text only
      var t = sv('text', {x: x + 20, y: y, 'font-size': 10.5, fill: C.ink}, it.label);
      g.appendChild(t);
      var w = t.getComputedTextLength ? t.getComputedTextLength() : 0;
      x += 20 + (w > 0 ? w : 6.2 * it.label.length) + 12;
    });
    return y;
  }

  function maxOf(arrs) {
    var m = -Infinity;
    arrs.forEach(function (a) {
      (a || []).forEach(function (v) { if (isFinite(v) && v > m) m = v; });
    });
    return m;
  }

  // (1) The fan chart of the prisoner stock, with the unchanged median.
  function drawStock(svg, r) {
    var g = clear(svg), W = 460, H = 250;
    var s = r.stock || {}, b = r.base_stock || {};
    var n = (s.q50 || []).length;
    if (!n || !r.replications) {
      empty(g, W, H, 'waiting for the first replications…');
      return;
    }
    var xs = [];
    for (var i = 0; i < n; i++)
      xs.push(i + 1);
    var top = maxOf([s.q95, b.q50, b.q95]);
    var f = frame(g, {x: 58, y: 24, w: W - 58 - 12, h: H - 24 - 46}, [1, n], [0, top * 1.02],
      {xtitle: 'round (month)', ytitle: 'prisoners held (persons)'});
    g.appendChild(sv('path', {d: band(xs, s.q05, s.q95, f), fill: C.changed, 'fill-opacity': 0.18,
      stroke: 'none'}));
    g.appendChild(sv('path', {d: band(xs, s.q25, s.q75, f), fill: C.changed, 'fill-opacity': 0.35,
      stroke: 'none'}));
    if (b.q50 && b.q50.length)
      g.appendChild(sv('path', {d: path(xs, b.q50, f), fill: 'none', stroke: C.ink,
        'stroke-width': 1.8, 'stroke-dasharray': '5,4'}));
    g.appendChild(sv('path', {d: path(xs, s.q50, f), fill: 'none', stroke: C.changed,
      'stroke-width': 2.4}));
    legend(g, 24, 11, [
      {kind: 'line', color: C.changed, label: 'changed: median', width: 2.4},
      {kind: 'band', color: C.changed, opacity: 0.35, label: '25–75 %'},
      {kind: 'band', color: C.changed, opacity: 0.18, label: '5–95 % of runs'},
      {kind: 'line', color: C.ink, dash: '5,4', label: 'unchanged: median', width: 1.8}]);
  }

  // (2) The distribution of total releases: changed (bars) and unchanged
  // (outline), as shares of the replications.
  function drawReleases(svg, r) {
    var g = clear(svg), W = 460, H = 250;
    var rel = r.releases || {}, counts = rel.counts || [], base = rel.base_counts || [];
    var edges = (rel.edges || []).slice();
    if (!counts.length || !r.replications) {
      empty(g, W, H, 'waiting for the first replications…');
      return;
    }
    while (edges.length < counts.length + 1) {
      var k = edges.length;
      edges.push(k >= 2 ? 2 * edges[k - 1] - edges[k - 2] : k);
    }
    var sum = function (a) { return a.reduce(function (x, y) { return x + y; }, 0) || 1; };
    var sc = sum(counts), sb = sum(base);
    var pc = counts.map(function (c) { return 100 * c / sc; });
    var pb = base.map(function (c) { return 100 * c / sb; });
    // Show the bins holding runs, leaving out tails of under 0.1 % of the
    // runs of either scenario on each side (the caption says so).
    var share = pc.map(function (v, i) { return Math.max(v, pb[i] || 0); });
    var first = 0, last = counts.length - 1, cut = 0;
    for (var tail = 0; first < last && tail + share[first] < 0.1; first++)
      tail += share[first];
    cut += tail;
    for (tail = 0; last > first && tail + share[last] < 0.1; last--)
      tail += share[last];
    cut += tail;
    var x0 = edges[first], x1 = edges[last + 1];
    var f = frame(g, {x: 50, y: 24, w: W - 50 - 24, h: H - 24 - 46}, [x0, x1],
      [0, Math.max(maxOf([pc, pb]), 1) * 1.08],
      {xtitle: 'prisoners released in total over the run (persons)', ytitle: 'share of runs (%)',
        xnice: false, xticks: ticks(x0, x1, 6)});
    for (var j = first; j <= last; j++) {
      if (!(pc[j] > 0))
        continue;
      var xa = f.x(edges[j]), xb = f.x(edges[j + 1]);
      g.appendChild(sv('rect', {x: xa + 0.5, y: f.y(pc[j]), width: Math.max(0.5, xb - xa - 1),
        height: f.y(0) - f.y(pc[j]), fill: C.changed, 'fill-opacity': 0.7}));
    }
    if (base.length) {
      var d = 'M' + f.x(edges[first]).toFixed(1) + ',' + f.y(0).toFixed(1);
      for (var m = first; m <= last; m++) {
        var y = f.y(pb[m] || 0).toFixed(1);
        d += 'L' + f.x(edges[m]).toFixed(1) + ',' + y + 'L' + f.x(edges[m + 1]).toFixed(1) + ',' + y;
      }
      d += 'L' + f.x(edges[last + 1]).toFixed(1) + ',' + f.y(0).toFixed(1);
      g.appendChild(sv('path', {d: d, fill: 'none', stroke: C.base, 'stroke-width': 2}));
    }
    legend(g, 50, 11, [
      {kind: 'bar', color: C.changed, opacity: 0.7, label: 'changed'},
      {kind: 'line', color: C.base, label: 'unchanged'}]);
    if (cut > 0)
      g.appendChild(sv('text', {x: W - 24, y: 11, 'text-anchor': 'end', 'font-size': 10,
        fill: C.muted}, 'tails under 0.1 % of runs not shown'));
  }

  // (3) Small multiples: P(lifted by round t) per instrument, P(open) per
  // border; the unchanged scenario dashed where the answer has it.
  function drawLifted(svg, r) {
    var g = clear(svg);
    var panels = [];
    var baseOf = function (list, name) {
      var hit = (list || []).find(function (x) { return x.name === name; });
      return hit ? hit.p : null;
    };
    (r.lifted || []).forEach(function (l) {
      panels.push({name: l.name + (l.offered === false ? ' (not offered)' : ''), p: l.p,
        base: l.base_p || baseOf(r.base_lifted, l.name),
        color: l.imposer === 'eu' ? C.eu : C.us, what: 'lifted'});
    });
    (r.borders || []).forEach(function (b) {
      panels.push({name: b.name, p: b.p, base: b.base_p || baseOf(r.base_borders, b.name),
        color: C.border, what: 'open'});
    });
    var anyBase = panels.some(function (p) { return p.base; });
    // Drawn at the figure's own width (text at its size), 7 panels a row
    // on a wide screen, fewer on a narrow one.
    var W = Math.max(420, Math.round(svg.getBoundingClientRect().width) || 940);
    var left = 48, cols = Math.max(3, Math.min(7, Math.floor((W - left) / 120)));
    var pw = (W - left) / cols, ph = 54, topPad = 16, gapY = 28;
    var rows = Math.max(1, Math.ceil(panels.length / cols));
    var H = topPad + rows * (ph + gapY) + 22;
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    if (!panels.length || !r.replications) {
      empty(g, W, H, 'waiting for the first replications…');
      return;
    }
    panels.forEach(function (p, i) {
      var c = i % cols, row = Math.floor(i / cols);
      var box = {x: left + c * pw, y: topPad + row * (ph + gapY), w: pw - 14, h: ph};
      var n = p.p.length, xs = [];
      for (var k = 0; k < n; k++)
        xs.push(k + 1);
      var lastRow = row === rows - 1 || i + cols >= panels.length;
      var f = frame(g, box, [1, n], [0, 100], {xticks: ticks(1, n, 4), xnice: false,
        ylabels: c === 0, xlabels: lastRow, yfmt: function (v) { return v + ' %'; },
        ny: 2, fontSize: 10});
      g.appendChild(sv('text', {x: box.x + box.w / 2, y: box.y - 4, 'text-anchor': 'middle',
        'font-size': 11, fill: p.color, 'font-weight': 600}, p.name));
      if (p.base)
        g.appendChild(sv('path', {d: path(xs, p.base.map(function (v) { return 100 * v; }), f),
          fill: 'none', stroke: C.ink, 'stroke-width': 1.2, 'stroke-dasharray': '4,3'}));
      g.appendChild(sv('path', {d: path(xs, p.p.map(function (v) { return 100 * v; }), f),
        fill: 'none', stroke: p.color, 'stroke-width': 2}));
      var endv = p.p[n - 1];
      g.appendChild(sv('title', {}, p.name + ': ' + p.what + ' by round ' + n + ' in ' +
        fmt(100 * endv, 3) + ' % of runs'));
    });
    g.appendChild(sv('text', {x: 0, y: 0, 'text-anchor': 'middle', 'font-size': 11, fill: C.ink,
      transform: 'translate(10,' + (topPad + rows * (ph + gapY) / 2) + ') rotate(-90)'},
    'probability (% of runs)'));
    var items = [
      {kind: 'line', color: C.us, label: 'US instrument lifted'},
      {kind: 'line', color: C.eu, label: 'EU instrument lifted'},
      {kind: 'line', color: C.border, label: 'border / Klaipeda open'}];
    if (anyBase)
      items.push({kind: 'line', color: C.ink, dash: '4,3', width: 1.2, label: 'unchanged'});
    items.push({kind: 'none', label: 'x axis: round (month)'});
    var last = legend(g, left, H - 6, items, W - 4);
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + (last + 6));
  }

  // (4) The comparison table: a dot (the difference) with its interval, on
  // one scale for all rows: per cent of the unchanged mean.
  function drawCompare(rows) {
    var tb = document.querySelector('#compare tbody');
    tb.textContent = '';
    var rel = function (x, row) {
      return Math.abs(row.base_mean) > 1e-12 ? 100 * x / Math.abs(row.base_mean) : null;
    };
    var m = 0;
    rows.forEach(function (row) {
      [row.lo, row.hi, row.diff].forEach(function (v) {
        var p = rel(v, row);
        if (p !== null && isFinite(p))
          m = Math.max(m, Math.abs(p));
      });
    });
    var scale = ticks(0, Math.max(m, 1), 2).hi;
    $('dot-head').textContent = 'difference, % of unchanged (±' + fmt(scale) + ' %)';
    rows.forEach(function (row) {
      var cell = function (col, text, cls) {
        return el('td', {class: cls || 'num', 'data-metric': row.metric, 'data-col': col,
          'data-value': row[col] === undefined ? null : JSON.stringify(row[col])}, [text]);
      };
      var sig = row.lo > 0 || row.hi < 0;
      var tr = el('tr', {'data-metric': row.metric, class: sig ? 'sig' : ''}, [
        el('td', {class: 'metric', title: row.metric}, [row.label || row.metric,
          el('code', null, [row.metric])]),
        cell('base_mean', fmtMetric(row.base_mean, row, ' %')),
        cell('mean', fmtMetric(row.mean, row, ' %')),
        cell('diff', (row.diff > 0 ? '+' : '') + fmtMetric(row.diff, row, ' pp') + ' [' +
          fmtMetric(row.lo, row, '') + ', ' + fmtMetric(row.hi, row, '') + ']'),
        el('td', {class: 'dot'}, [dotPlot(row, rel, scale, sig)])]);
      tb.appendChild(tr);
    });
    if (!rows.length)
      tb.appendChild(el('tr', null, [el('td', {colspan: 5, class: 'empty'}, ['waiting for the first replications…'])]));
  }

  // A share of runs (a proportion metric) in per cent (with unit), else
  // the number.
  function fmtMetric(v, row, unit) {
    return row.proportion ? fmt(100 * v, 3) + unit : fmt(v);
  }

  function dotPlot(row, rel, scale, sig) {
    var W = 180, H = 18, s = sv('svg', {viewBox: '0 0 ' + W + ' ' + H, width: W, height: H,
      role: 'img'});
    var x = function (p) { return W / 2 + Math.max(-1, Math.min(1, p / scale)) * (W / 2 - 6); };
    s.appendChild(sv('line', {x1: W / 2, x2: W / 2, y1: 1, y2: H - 1, stroke: C.muted,
      'stroke-width': 1}));
    var lo = rel(row.lo, row), hi = rel(row.hi, row), d = rel(row.diff, row);
    if (d === null) {
      s.appendChild(sv('title', {}, 'unchanged mean is 0: no relative difference'));
      return s;
    }
    var col = sig ? C.sig : C.nonsig;
    s.appendChild(sv('line', {x1: x(lo), x2: x(hi), y1: H / 2, y2: H / 2, stroke: col,
      'stroke-width': 3, 'stroke-linecap': 'round'}));
    s.appendChild(sv('circle', {cx: x(d), cy: H / 2, r: 4, fill: col, stroke: '#fff',
      'stroke-width': 1}));
    s.appendChild(sv('title', {}, (d > 0 ? '+' : '') + fmt(d, 3) + ' % [' + fmt(lo, 3) + ', ' +
      fmt(hi, 3) + '] of the unchanged mean'));
    return s;
  }

  function drawSummary(rows) {
    var tb = document.querySelector('#summary tbody');
    tb.textContent = '';
    rows.forEach(function (row) {
      tb.appendChild(el('tr', {'data-metric': row.metric}, [
        el('td', null, [el('code', null, [row.metric])]),
        el('td', {class: 'num', 'data-metric': row.metric, 'data-col': 'summary_mean',
          'data-value': JSON.stringify(row.mean)}, [fmt(row.mean, 6)])]));
    });
  }

  // ---- copy and start --------------------------------------------------------

  function copyCommand() {
    var text = $('command').textContent;
    var btn = $('copy');
    var done = function (ok) {
      btn.textContent = ok ? 'Copied' : 'Select and copy';
      setTimeout(function () { btn.textContent = 'Copy'; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); },
        function () { done(selectCommand()); });
    } else {
      done(selectCommand());
    }
  }

  function selectCommand() {
    var range = document.createRange();
    range.selectNodeContents($('command'));
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    try { return document.execCommand('copy'); } catch (e) { return false; }
  }

  function start() {
    $('copy').addEventListener('click', copyCommand);
    $('reset-all').addEventListener('click', resetAll);
    $('by-path').addEventListener('submit', setByPath);
    $('seed').addEventListener('input', function () { scheduleRun(); });
    window.addEventListener('resize', function () {
      st.drawn = null;                 // the small multiples follow the width
      requestDraw();
    });
    $('seed-random').addEventListener('click', function () {
      $('seed').value = String(1 + Math.floor(Math.random() * 999999));
      scheduleRun();
    });
    api('/api/levers').then(function (r) {
      if (r.status !== 200) {
        setStatus(null, 'cannot load the levers: ' + (r.body.error || r.status));
        return;
      }
      st.info = r.body;
      $('scenario').textContent = (r.body.name || '') + ' (' + (r.body.scenario || '') + ', ' +
        r.body.rounds + ' rounds)';
      document.title = 'sanctionsim explore: ' + (r.body.name || r.body.scenario || '');
      $('seed').value = seedOf(r) || '1';
      buildLevers(r.body);
      startRun();
    }).catch(function (e) {
      setStatus(null, 'the server does not answer (' + e.message + ')');
    });
  }

  start();
})();
