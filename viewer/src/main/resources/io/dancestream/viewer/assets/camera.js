// dancestream browser camera: getUserMedia -> JPEG in the page -> one binary WebSocket message
// per frame to /camera, which the viewer produces to dance.frames as this page's stream.
// Backpressure: one frame in flight; a newer capture replaces the one waiting to be sent (each
// replaced frame is counted, shown, and reported to the server as ingest's stale drops), so the
// page never queues video. Glass-to-glass: the page keeps its capture time per frame and, when
// viewer.js shows that frame's render, measures display - capture on its own clock.
// URL fragment: #token=T&stream=ID&fps=20&width=640&height=480 (the token is removed from the
// address bar once read).
'use strict';

(() => {
  const params = new URLSearchParams(location.hash.slice(1));
  let token = params.get('token') || '';
  if (params.has('token')) {
    params.delete('token');
    history.replaceState(null, '', location.pathname + location.search + (params.toString() ? '#' + params : ''));
  }
  const want = {
    width: Number(params.get('width')) || 640,
    height: Number(params.get('height')) || 480,
    fps: Number(params.get('fps')) || 20,
    quality: Number(params.get('quality')) || 0.8,
  };
  const $ = (id) => document.getElementById(id);
  const streamInput = $('camera-stream');
  streamInput.value = params.get('stream') || `camera-${Math.random().toString(16).slice(2, 8)}`;

  const cam = {
    stream: null, ws: null, video: null, canvas: null, ctx: null, timer: null, ready: false,
    encoding: false, inFlight: false, waiting: null, pageSeq: 0,
    sent: 0, acked: 0, replaced: 0, dropped: 0, errors: [], closed: null,
    pending: new Map(), // page seq -> page capture ms, until acked
    captureOfSeq: new Map(), // record seq -> page capture ms, until its render is shown
    g2g: [], ackTimes: [],
  };
  window.cameraStream = () => cam.stream;
  // for tests and scripts: what the camera did
  window.cameraStats = () => ({
    stream: cam.stream, ready: cam.ready, sent: cam.sent, acked: cam.acked, replaced: cam.replaced,
    dropped: cam.dropped, errors: cam.errors.slice(), closed: cam.closed, g2gMs: cam.g2g.slice(),
    fps: fps(), width: cam.canvas ? cam.canvas.width : 0, height: cam.canvas ? cam.canvas.height : 0,
  });

  function status(text, error) {
    const el = $('camera-status');
    el.textContent = text;
    el.classList.toggle('error', !!error);
  }

  function fps() {
    const now = performance.now();
    while (cam.ackTimes.length && now - cam.ackTimes[0] > 2000) cam.ackTimes.shift();
    return cam.ackTimes.length / 2;
  }

  function quantile(values, q) {
    if (!values.length) return null;
    const s = values.slice().sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor(q * s.length))];
  }

  function fmt(ms) { return ms == null ? '–' : `${Math.round(ms)} ms`; }

  function showStats() {
    $('camera-stats').hidden = false;
    $('camera-sent').textContent = String(cam.acked);
    $('camera-replaced').textContent = String(cam.replaced);
    $('camera-fps').textContent = fps().toFixed(1);
    const recent = cam.g2g.slice(-200);
    $('camera-g2g').textContent = fmt(recent.length ? recent[recent.length - 1] : null);
    $('camera-p50').textContent = fmt(quantile(recent, 0.5));
    $('camera-p95').textContent = fmt(quantile(recent, 0.95));
  }

  async function start() {
    const button = $('camera-start');
    if (cam.timer) { stop('stopped'); return; }
    const id = streamInput.value.trim();
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(id)) { status('stream id: 1-64 of A-Z a-z 0-9 . _ -', true); return; }
    const info = await (await fetch('/api/camera', { cache: 'no-store' })).json();
    if (!info.enabled) { status(info.why, true); return; }
    if (info.tokenRequired && !token) token = prompt('Camera token of this viewer') || '';
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      status('no camera access: the page must be served over https or from localhost', true);
      return;
    }
    let media;
    try {
      media = await navigator.mediaDevices.getUserMedia({ audio: false, video: {
        width: { ideal: want.width }, height: { ideal: want.height }, frameRate: { ideal: want.fps } } });
    } catch (e) {
      status(`camera refused: ${e.message}`, true);
      return;
    }
    cam.video = document.createElement('video');
    cam.video.muted = true;
    cam.video.playsInline = true;
    cam.video.srcObject = media;
    await cam.video.play();
    cam.canvas = document.createElement('canvas');
    cam.canvas.width = cam.video.videoWidth;
    cam.canvas.height = cam.video.videoHeight;
    cam.ctx = cam.canvas.getContext('2d');
    cam.stream = id;
    streamInput.disabled = true;
    button.textContent = 'Stop camera';
    const existing = document.querySelector(`section.stream[data-stream="${id}"]`);
    if (existing) existing.classList.add('mine');
    connect();
    cam.timer = setInterval(capture, 1000 / Math.min(want.fps, info.maxFps));
  }

  function connect() {
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/camera`);
    cam.ws = ws;
    ws.onopen = () => ws.send(JSON.stringify({ token }));
    ws.onmessage = (e) => onMessage(JSON.parse(e.data));
    ws.onclose = (e) => {
      cam.ready = false;
      cam.closed = { code: e.code, reason: e.reason };
      if (cam.timer) stop(`connection closed (${e.code}${e.reason ? ': ' + e.reason : ''})`, true);
    };
    status('connecting…');
  }

  function onMessage(m) {
    if (m.ready) {
      cam.ready = true;
      status(`streaming as ${cam.stream}`);
      return;
    }
    if (m.error) {
      cam.errors.push(m.error);
      status(m.error, true);
    }
    if (m.ack != null || m.dropped != null) {
      const pageSeq = m.ack != null ? m.ack : m.dropped;
      const t = cam.pending.get(pageSeq);
      cam.pending.delete(pageSeq);
      if (m.seq != null && t != null) {
        cam.acked++;
        cam.ackTimes.push(performance.now());
        cam.captureOfSeq.set(m.seq, t);
        // renders that never come (dropped as stale downstream) must not pile up
        if (cam.captureOfSeq.size > 512) cam.captureOfSeq.delete(cam.captureOfSeq.keys().next().value);
      } else if (m.dropped != null) {
        cam.dropped++;
      }
      cam.inFlight = false;
      if (cam.waiting) {
        const next = cam.waiting;
        cam.waiting = null;
        send(next);
      }
      showStats();
    }
  }

  async function capture() {
    // an encode still running means this machine is slower than the rate: skip, nothing was captured
    if (!cam.ready || cam.encoding || cam.video.readyState < 2) return;
    cam.encoding = true;
    try {
      const t = performance.timeOrigin + performance.now();
      cam.ctx.drawImage(cam.video, 0, 0, cam.canvas.width, cam.canvas.height);
      const jpeg = await new Promise((resolve) => cam.canvas.toBlob(resolve, 'image/jpeg', want.quality));
      if (!jpeg || !cam.ready) return;
      const frame = { pageSeq: cam.pageSeq++, t, jpeg };
      if (!cam.inFlight) {
        send(frame);
      } else {
        if (cam.waiting) cam.replaced++; // the newer capture replaces the one waiting
        cam.waiting = frame;
      }
    } finally {
      cam.encoding = false;
    }
  }

  /** Header (see CameraMessage.java): version, id length, id, page seq, capture ms, replaced so far. */
  function send(frame) {
    const id = new TextEncoder().encode(cam.stream);
    const header = new DataView(new ArrayBuffer(2 + id.length + 16));
    header.setUint8(0, 1);
    header.setUint8(1, id.length);
    new Uint8Array(header.buffer, 2, id.length).set(id);
    header.setUint32(2 + id.length, frame.pageSeq);
    header.setFloat64(6 + id.length, frame.t);
    header.setUint32(14 + id.length, cam.replaced);
    cam.inFlight = true;
    cam.pending.set(frame.pageSeq, frame.t);
    cam.sent++;
    cam.ws.send(new Blob([header.buffer, frame.jpeg]));
  }

  function stop(why, error) {
    clearInterval(cam.timer);
    cam.timer = null;
    cam.ready = false;
    if (cam.ws && cam.ws.readyState <= 1) cam.ws.close(1000, 'stopped');
    if (cam.video && cam.video.srcObject) cam.video.srcObject.getTracks().forEach((t) => t.stop());
    streamInput.disabled = false;
    $('camera-start').textContent = 'Start camera';
    status(why, error);
  }

  // viewer.js calls this once an image is on the page; a render of one of our frames closes the loop
  window.cameraShown = (stream, panel, seq) => {
    if (stream !== cam.stream || panel !== 'render') return;
    const t = cam.captureOfSeq.get(seq);
    if (t == null) return;
    cam.captureOfSeq.delete(seq);
    // displayed = the next paint after the image is in the page
    requestAnimationFrame(() => {
      const ms = performance.timeOrigin + performance.now() - t;
      cam.g2g.push(ms);
      if (cam.g2g.length > 10000) cam.g2g.shift();
      if (cam.ws && cam.ws.readyState === 1) cam.ws.send(JSON.stringify({ g2g: ms, seq }));
      showStats();
    });
  };

  $('camera-start').addEventListener('click', () => { start().catch((e) => status(String(e), true)); });
})();
