// ktpocr console: sends one image to this server's public API and shows the
// result. Everything shown is set with textContent, never as HTML, because
// the values come from a photo.
'use strict';

(function () {
  const FIELDS = [
    'nik', 'full_name', 'place_of_birth', 'date_of_birth', 'gender', 'blood_type',
    'address', 'rt_rw', 'administrative_village', 'district', 'city', 'state',
    'religion', 'marital_status', 'occupation', 'nationality',
  ];
  const QUALITY = ['blur', 'dark', 'flashlight', 'grayscale'];
  const NIK_CHECKS = [
    ['valid', 'all checks passed'],
    ['format', '16 digits'],
    ['region_exists', 'region code exists'],
    ['province_matches', 'province matches'],
    ['city_matches', 'city matches'],
    ['district_matches', 'district matches'],
    ['birth_date_valid', 'birth date is a real date'],
    ['birth_date_matches', 'birth date matches'],
    ['gender_matches', 'gender matches'],
    ['repaired', 'NIK was repaired'],
  ];
  const POLL_LIMIT_MS = 5 * 60 * 1000;

  // The API lives at the root of the console's origin, or under the same
  // path prefix when a proxy serves the service below one.
  const base = location.pathname.replace(/\/console(\/.*)?$/, '');

  const $ = (id) => document.getElementById(id);
  let previewURL = null;
  let pollTimer = null;
  let pollToken = 0;

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function setStatus(text, kind) {
    const s = $('status');
    s.textContent = text;
    s.className = 'status ' + kind;
  }

  // Credentials stay in sessionStorage: gone when the tab closes.
  function loadCredentials() {
    $('app-id').value = sessionStorage.getItem('ktpocr.app_id') || '';
    $('api-key').value = sessionStorage.getItem('ktpocr.api_key') || '';
  }

  function saveCredentials() {
    sessionStorage.setItem('ktpocr.app_id', $('app-id').value.trim());
    sessionStorage.setItem('ktpocr.api_key', $('api-key').value.trim());
  }

  function headers() {
    return {
      'App-ID': $('app-id').value.trim(),
      'API-Key': $('api-key').value.trim(),
      'Content-Type': 'application/json',
    };
  }

  function readFile(file) {
    return new Promise((resolve, reject) => {
      const r = new FileReader();
      r.onload = () => resolve(r.result); // a data: URL, which the API accepts
      r.onerror = () => reject(new Error('cannot read the file'));
      r.readAsDataURL(file);
    });
  }

  async function call(method, path, body) {
    const started = performance.now();
    const init = { method: method, headers: headers(), cache: 'no-store' };
    if (body !== undefined) init.body = JSON.stringify(body);
    const resp = await fetch(base + path, init);
    const text = await resp.text();
    let json = null;
    try { json = JSON.parse(text); } catch (e) { json = null; }
    return {
      status: resp.status,
      retryAfter: parseInt(resp.headers.get('Retry-After') || '', 10),
      json: json,
      text: text,
      ms: Math.round(performance.now() - started),
    };
  }

  function showPreview(file) {
    if (previewURL) URL.revokeObjectURL(previewURL);
    previewURL = null;
    const img = $('photo-img');
    $('photo-corners').setAttribute('points', '');
    if (!file) {
      img.removeAttribute('src');
      $('photo-note').textContent = 'No preview for a URL or a sandbox code.';
      return;
    }
    previewURL = URL.createObjectURL(file);
    img.src = previewURL;
    $('photo-note').textContent = file.name + ' (' + Math.round(file.size / 1024) + ' KB)';
  }

  function drawCorners(corners) {
    const img = $('photo-img');
    const poly = $('photo-corners');
    if (!corners || corners.length !== 4 || !img.getAttribute('src')) {
      poly.setAttribute('points', '');
      return;
    }
    const place = () => {
      // Corners are in the pixels of the image as sent; the overlay's
      // viewBox uses the same pixels and stretches with the image.
      $('photo-overlay').setAttribute('viewBox', '0 0 ' + img.naturalWidth + ' ' + img.naturalHeight);
      poly.setAttribute('points', corners.map((p) => p.x + ',' + p.y).join(' '));
    };
    if (img.complete && img.naturalWidth) place(); else img.addEventListener('load', place, { once: true });
  }

  function confClass(c) {
    if (c >= 0.9) return 'conf-high';
    if (c >= 0.7) return 'conf-mid';
    return 'conf-low';
  }

  function render(res) {
    const body = res.json;
    $('raw').textContent = body ? JSON.stringify(body, null, 2) : res.text;
    const data = (body && body.data) || {};
    const extra = data.extra || {};

    const code = body && body.error_code ? ' ' + body.error_code : '';
    const msg = body && body.message ? ' ' + body.message : '';
    const state = data.status ? ' [' + data.status + ']' : '';
    const kind = res.status === 202 ? 'busy' : (res.status >= 400 || code ? 'error' : 'ok');
    setStatus('HTTP ' + res.status + state + code + ' —' + msg + ' (' + res.ms + ' ms)', kind);

    const fields = $('fields').tBodies[0];
    clear(fields);
    const conf = extra.confidence || {};
    for (const f of FIELDS) {
      if (!(f in data)) continue;
      const tr = el('tr');
      tr.appendChild(el('td', f, 'name'));
      tr.appendChild(el('td', data[f], 'value'));
      const c = conf[f];
      tr.appendChild(typeof c === 'number' ? el('td', c.toFixed(2), 'conf ' + confClass(c)) : el('td', '', 'conf'));
      fields.appendChild(tr);
    }

    const quality = $('quality');
    clear(quality);
    if (data.image_quality) {
      for (const q of QUALITY) {
        const set = !!data.image_quality[q];
        quality.appendChild(el('li', q + (set ? ': yes' : ': no'), set ? 'set' : 'clear'));
      }
    }

    const checks = $('nik-checks').tBodies[0];
    clear(checks);
    const nc = extra.nik_check;
    $('nik-unchecked').textContent = '';
    if (nc) {
      for (const [key, label] of NIK_CHECKS) {
        const tr = el('tr');
        tr.appendChild(el('td', label, 'name'));
        const ok = !!nc[key];
        const unchecked = (nc.unchecked || []).includes(key);
        if (unchecked) {
          tr.appendChild(el('td', 'not checked', 'skip'));
        } else {
          // "repaired" is information, not a pass or a fail.
          const cls = key === 'repaired' ? '' : (ok ? 'pass' : 'fail');
          tr.appendChild(el('td', ok ? 'yes' : 'no', cls));
        }
        checks.appendChild(tr);
      }
      if (nc.unchecked && nc.unchecked.length) {
        $('nik-unchecked').textContent = 'Not checked (field unread): ' + nc.unchecked.join(', ');
      }
    }

    const kv = $('extra').tBodies[0];
    clear(kv);
    const addKV = (k, v) => {
      if (v === undefined || v === null || v === '') return;
      const tr = el('tr');
      tr.appendChild(el('td', k, 'name'));
      tr.appendChild(el('td', v, 'value'));
      kv.appendChild(tr);
    };
    addKV('reference_id', data.reference_id);
    addKV('status_code', data.status_code);
    addKV('valid_until', extra.valid_until);
    const rc = extra.region_codes || {};
    for (const k of ['province', 'city', 'district', 'village']) addKV('region code: ' + k, rc[k]);
    const t = extra.timings_ms || {};
    for (const k of Object.keys(t)) addKV('time ' + k + ' (ms)', Math.round(t[k]));

    drawCorners(extra.corners);
  }

  function stopPolling() {
    pollToken++;
    if (pollTimer) clearTimeout(pollTimer);
    pollTimer = null;
    $('cancel').disabled = true;
  }

  function poll(referenceID) {
    stopPolling();
    const token = pollToken;
    const started = Date.now();
    $('cancel').disabled = false;
    const step = async () => {
      if (token !== pollToken) return;
      let res;
      try {
        res = await call('GET', '/ktp/id/extract-async/result?reference_id=' + encodeURIComponent(referenceID));
      } catch (e) {
        setStatus('Polling failed: ' + e.message, 'error');
        stopPolling();
        return;
      }
      if (token !== pollToken) return;
      render(res);
      const processing = res.status === 202 || (res.json && res.json.data && res.json.data.status === 'PROCESSING');
      if (!processing) { stopPolling(); return; }
      if (Date.now() - started > POLL_LIMIT_MS) {
        setStatus('Still processing after 5 minutes; stopped polling. Fetch the result later.', 'error');
        stopPolling();
        return;
      }
      const wait = Math.min(Math.max(isNaN(res.retryAfter) ? 1 : res.retryAfter, 1), 10);
      pollTimer = setTimeout(step, wait * 1000);
    };
    step();
  }

  async function submit(ev) {
    ev.preventDefault();
    saveCredentials();
    stopPolling();
    const file = $('image-file').files[0];
    const urlOrCode = $('image-url').value.trim();
    if (!file && !urlOrCode) {
      setStatus('Pick a file or enter a URL or sandbox code.', 'error');
      return;
    }
    showPreview(file || null);
    const body = { validate_quality: $('validate-quality').checked };
    try {
      body.image = file ? await readFile(file) : urlOrCode;
    } catch (e) {
      setStatus(e.message, 'error');
      return;
    }
    const isAsync = $('mode-async').checked;
    if (isAsync) {
      const ref = $('reference-id').value.trim();
      const cb = $('callback-url').value.trim();
      if (ref) body.reference_id = ref;
      if (cb) body.callback_url = cb;
    }
    $('submit').disabled = true;
    setStatus('Sending…', 'busy');
    try {
      const res = await call('POST', isAsync ? '/ktp/id/extract-async' : '/v2/ktp/extract', body);
      render(res);
      const id = res.json && res.json.data && res.json.data.reference_id;
      if (isAsync && res.status === 200 && id) {
        $('lookup-id').value = id;
        poll(id);
      }
    } catch (e) {
      setStatus('Request failed: ' + e.message, 'error');
    } finally {
      $('submit').disabled = false;
    }
  }

  function lookup(ev) {
    ev.preventDefault();
    saveCredentials();
    const id = $('lookup-id').value.trim();
    if (id) poll(id);
  }

  document.addEventListener('DOMContentLoaded', () => {
    loadCredentials();
    $('request-form').addEventListener('submit', submit);
    $('result-form').addEventListener('submit', lookup);
    $('cancel').addEventListener('click', () => { stopPolling(); setStatus('Polling stopped.', 'idle'); });
    $('image-file').addEventListener('change', () => {
      const f = $('image-file').files[0];
      if (f) { $('image-url').value = ''; showPreview(f); }
    });
  });
})();
