// dancestream viewer: listens to /events (Server-Sent Events) for stream state, fetches the
// newest image of a panel when its seq moves on (one request in flight per panel, so a slow
// browser skips frames instead of queueing them), and reports each image once it is on screen
// so the server can record glass-to-glass latency on its own clock.
'use strict';

const PANELS = ['source', 'parts', 'render'];
const IDLE_SECONDS = 5;
const views = new Map(); // stream id -> { el, panels: { id -> { img, busy, shownSeq, wantSeq, url } } }

function viewOf(stream) {
  let v = views.get(stream);
  if (v) return v;
  const el = document.getElementById('stream-template').content.firstElementChild.cloneNode(true);
  el.dataset.stream = stream;
  el.querySelector('.stream-id').textContent = stream;
  v = { el, panels: {} };
  for (const p of PANELS) {
    const fig = el.querySelector(`figure[data-panel="${p}"]`);
    v.panels[p] = { fig, img: fig.querySelector('img'), busy: false, shownSeq: -1, wantSeq: -1, url: null };
  }
  const list = document.getElementById('streams');
  const after = [...list.querySelectorAll('section.stream')].find(s => s.dataset.stream > stream);
  list.insertBefore(el, after || null);
  views.set(stream, v);
  document.getElementById('empty').hidden = true;
  return v;
}

function fmtMs(ms) {
  return ms == null ? '–' : `${Math.round(ms)} ms`;
}

function update(snapshot) {
  for (const s of snapshot) {
    const v = viewOf(s.stream);
    v.el.classList.toggle('idle', s.idleSeconds > IDLE_SECONDS);
    for (const p of PANELS) {
      const st = s.panels[p];
      const pv = v.panels[p];
      pv.fig.querySelector('.fps').textContent = st.fps.toFixed(1);
      pv.fig.querySelector('.age').textContent = fmtMs(st.shownLatencyMs);
      pv.fig.querySelector('.label').textContent = st.label;
      // != rather than >: a restarted source begins again at seq 0
      if (st.seq >= 0 && st.seq !== pv.shownSeq) {
        pv.wantSeq = st.seq;
        if (!pv.busy) load(s.stream, p, pv);
      }
    }
    // glass-to-glass: capture -> the rendered image on screen
    v.el.querySelector('.g2g').textContent = fmtMs(s.panels.render.shownLatencyMs);
  }
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
