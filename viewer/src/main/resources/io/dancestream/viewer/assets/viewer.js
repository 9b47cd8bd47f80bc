// dancestream viewer: listens to /events (Server-Sent Events) for stream state, fetches the
// newest image of a panel when its seq moves on (one request in flight per panel, so a slow
// browser skips frames instead of queueing them), and reports each image once it is on screen
// so the server can record glass-to-glass latency on its own clock.
'use strict';

const PANELS = ['source', 'parts', 'render'];
const views = new Map(); // stream id -> { el, panels: { id -> { img, busy, shownSeq, wantSeq, url } } }

function viewOf(stream) {
  let v = views.get(stream);
  if (v) return v;
  const el = document.getElementById('stream-template').content.firstElementChild.cloneNode(true);
  el.dataset.stream = stream;
  el.querySelector('.stream-id').textContent = stream;
  if (window.cameraStream && window.cameraStream() === stream) el.classList.add('mine');
  v = { el, panels: {} };
  for (const p of PANELS) {
    const fig = el.querySelector(`figure[data-panel="${p}"]`);
    v.panels[p] = { fig, img: fig.querySelector('img'), busy: false, shownSeq: -1, wantSeq: -1, url: null };
  }
  views.set(stream, v);
  return v;
}

/** The server forgot the stream (retention, or newer streams took its place): so does the page. */
function forget(stream, v) {
  v.el.remove();
  for (const p of PANELS) {
    if (v.panels[p].url) URL.revokeObjectURL(v.panels[p].url);
  }
  views.delete(stream);
}

function fmtMs(ms) {
  return ms == null ? '–' : `${Math.round(ms)} ms`;
}

function fmtAgo(seconds) {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

function update(snapshot) {
  const list = document.getElementById('streams');
  let prev = document.getElementById('empty');
  const listed = new Set();
  for (const s of snapshot) {
    listed.add(s.stream);
    const v = viewOf(s.stream);
    // the server's order (live first, then ended, latest end first); moved only when it changed
    if (prev.nextElementSibling !== v.el) list.insertBefore(v.el, prev.nextElementSibling);
    prev = v.el;
    // ended: no frame for a while; the last images, final fps and latency stay for people to look at
    const ended = s.state === 'ended';
    v.el.classList.toggle('ended', ended);
    v.el.querySelector('.state').textContent = ended ? `ended ${fmtAgo(s.idleSeconds)} ago` : 'live';
    for (const p of PANELS) {
      const st = s.panels[p];
      const pv = v.panels[p];
      pv.fig.querySelector('.fps').textContent = st.fps.toFixed(1);
      pv.fig.querySelector('.age').textContent = fmtMs(st.shownLatencyMs);
      const label = pv.fig.querySelector('.label');
      label.textContent = st.label;
      label.title = st.label; // the caption may be cut short to fit: the whole text on hover
      // != rather than >: a restarted source begins again at seq 0
      if (st.seq >= 0 && st.seq !== pv.shownSeq) {
        pv.wantSeq = st.seq;
        if (!pv.busy) load(s.stream, p, pv);
      }
    }
    // glass-to-glass: capture -> the rendered image on screen
    v.el.querySelector('.g2g').textContent = fmtMs(s.panels.render.shownLatencyMs);
  }
  for (const [stream, v] of views) {
    if (!listed.has(stream)) forget(stream, v);
  }
  document.getElementById('empty').hidden = views.size > 0;
}

async function load(stream, panel, pv) {
  pv.busy = true;
  let ok = false;
  try {
    const q = `stream=${encodeURIComponent(stream)}&panel=${panel}`;
    const res = await fetch(`/image?${q}`, { cache: 'no-store' });
    if (!res.ok) return;
    const seq = Number(res.headers.get('X-Seq'));
    const captureUs = res.headers.get('X-Capture-Us');
    const url = URL.createObjectURL(await res.blob());
    await new Promise((resolve) => {
      pv.img.onload = resolve;
      pv.img.onerror = resolve;
      pv.img.src = url;
    });
    if (pv.url) URL.revokeObjectURL(pv.url);
    pv.url = url;
    pv.shownSeq = seq;
    pv.img.dataset.seq = String(seq);
    // the page's own camera measures glass-to-glass on its own clock (camera.js)
    if (window.cameraShown) window.cameraShown(stream, panel, seq);
    // decoded and in the page: report it (the server measures now - capture)
    fetch('/shown', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, keepalive: true,
      body: `{"stream":${JSON.stringify(stream)},"panel":"${panel}","captureUs":${captureUs}}`,
    }).catch(() => {});
    ok = true;
  } catch (e) {
    // the server went away or the stream ended; the next event retries
  } finally {
    pv.busy = false;
    // a newer frame arrived while this one loaded; after a failure, wait for the next event
    if (ok && pv.wantSeq !== pv.shownSeq) setTimeout(() => load(stream, panel, pv), 0);
  }
}

function connect() {
  const status = document.getElementById('status');
  const es = new EventSource('/events');
  es.onopen = () => { status.textContent = 'live'; status.classList.add('live'); };
  es.onmessage = (e) => update(JSON.parse(e.data));
  es.onerror = () => { status.textContent = 'reconnecting…'; status.classList.remove('live'); };
}

connect();
