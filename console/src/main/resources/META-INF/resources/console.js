// PXE Wings console: Alpine.js components over the services' own APIs, reached through the
// console's /proxy/NAME/ (console/README.md). Nothing here is an API of its own.

/** A service's API: JSON in and out; a refusal throws with the problem's detail. */
const api = {
  async call(method, service, path, body, type) {
    const init = {method, headers: {Accept: 'application/json'}};
    if (body !== undefined) {
      init.headers['Content-Type'] = type || 'application/json';
      init.body = type ? body : JSON.stringify(body);
    }
    const r = await fetch('/proxy/' + service + path, init);
    const text = await r.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { /* not JSON: said below */ }
    if (!r.ok) {
      const detail = json && (json.detail || json.title);
      throw new Error(service + ': ' + (detail || (r.status + ' ' + r.statusText)));
    }
    return json;
  },
  get(service, path) { return this.call('GET', service, path); },
  /** The console's upstream names (GET /proxy), asked once. */
  names() { return this._names ||= fetch('/proxy').then(r => r.json()).then(j => j.upstreams).catch(() => []); },
  /** A site's own instance of an edge service where the console has one (dhcp-SITE), else the default. */
  async ofSite(service, site) { return (await this.names()).includes(service + '-' + site) ? service + '-' + site : service; },
  post(service, path, body) { return this.call('POST', service, path, body); },
};

/**
 * A Server-Sent Events stream read with fetch, because the orchestrator names each event by its
 * type and EventSource delivers named events only to a listener per name. Resumes after a break
 * from the last id it handed out (Last-Event-ID), so nothing is missed or repeated.
 */
function follow(path, onEvent, onState, fromId) {
  let lastId = fromId || null, stopped = false, controller = null, wait = 500;
  async function run() {
    while (!stopped) {
      controller = new AbortController();
      try {
        const headers = {Accept: 'text/event-stream'};
        if (lastId) headers['Last-Event-ID'] = lastId;
        const r = await fetch(path, {headers, signal: controller.signal});
        if (!r.ok) throw new Error(r.status + ' ' + r.statusText);
        onState(true);
        wait = 500;
        const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
        let buf = '', id = null, data = [];
        for (;;) {
          const {value, done} = await reader.read();
          if (done) break;
          buf += value;
          let nl;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl).replace(/\r$/, '');
            buf = buf.slice(nl + 1);
            if (stopped) return;   // nothing after stop(), not even what this chunk still holds
            if (line === '') {
              if (data.length) {
                if (id !== null) lastId = id;
                onEvent(JSON.parse(data.join('\n')));
              }
              id = null; data = [];
            } else if (line.startsWith('id:')) id = line.slice(3).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
          }
        }
      } catch (e) {
        if (stopped) return;
      }
      onState(false);
      await new Promise(res => setTimeout(res, wait));
      wait = Math.min(wait * 2, 4000);
    }
  }
  run();
  return {stop() { stopped = true; if (controller) controller.abort(); }};
}

/**
 * Uploads a file to image-service in 8 MiB chunks (the OCI distribution upload: POST, PATCH with
 * Content-Range, PUT with the digest), hashing as it goes. Where the upload is is kept in
 * localStorage under the file's name, size and date, so a paused, broken or reloaded upload goes
 * on from where image-service says it stands. Returns the blob's digest, or null when stopped.
 */
async function uploadResumably(file, progress, stopped) {
  const CHUNK = 8 << 20;
  const key = 'wings-upload:' + file.name + ':' + file.size + ':' + file.lastModified;
  let location = localStorage.getItem(key), offset = 0;
  if (location) {
    const r = await fetch('/proxy/image' + location);
    if (r.status === 204) offset = Number((r.headers.get('Range') || '0-0').split('-')[1]) + 1;
    else location = null;
  }
  if (!location) {
    const r = await fetch('/proxy/image/api/v1/blobs/uploads', {method: 'POST'});
    if (r.status !== 202) throw new Error('image: opening the upload: ' + r.status);
    location = new URL(r.headers.get('Location'), 'http://image-service').pathname;   // the upstream's path, under /proxy/image
    localStorage.setItem(key, location);
  }
  // The digest covers the bytes image-service holds: hash again what it has, read locally.
  const hash = sha256.create();
  for (let at = 0; at < offset; at += CHUNK) hash.update(await file.slice(at, Math.min(at + CHUNK, offset)).arrayBuffer());
  const resumedAt = offset, t0 = performance.now();
  while (offset < file.size) {
    if (stopped()) return null;
    const bytes = await file.slice(offset, Math.min(offset + CHUNK, file.size)).arrayBuffer();
    const r = await fetch('/proxy/image' + location, {method: 'PATCH', body: bytes,
      headers: {'Content-Type': 'application/octet-stream', 'Content-Range': offset + '-' + (offset + bytes.byteLength - 1)}});
    if (r.status !== 202) throw new Error('image: chunk at ' + offset + ': ' + r.status + ' ' + (await r.text()));
    hash.update(bytes);
    offset += bytes.byteLength;
    const mbs = (offset - resumedAt) / 1e6 / ((performance.now() - t0) / 1000);
    progress({sent: offset, total: file.size, text: fmt.bytes(offset) + ' of ' + fmt.bytes(file.size) + ' · ' + mbs.toFixed(1) + ' MB/s'
      + (resumedAt ? ' · resumed at ' + fmt.bytes(resumedAt) : '')});
  }
  const digest = 'sha256:' + hash.hex();
  const r = await fetch('/proxy/image' + location + '?digest=' + digest, {method: 'PUT'});
  if (r.status !== 201) throw new Error('image: completing the upload: ' + r.status + ' ' + (await r.text()));
  localStorage.removeItem(key);
  progress({sent: file.size, total: file.size, text: fmt.bytes(file.size) + ' stored as ' + digest.slice(0, 19) + '…'
    + (resumedAt ? ' (resumed at ' + fmt.bytes(resumedAt) + ')' : '')});
  return digest;
}

const fmt = {
  bytes(n) {
    if (n == null) return '-';
    const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
    return (i ? n.toFixed(1) : n) + ' ' + u[i];
  },
  time(t) { return t ? new Date(t).toLocaleTimeString([], {hour12: false}) : ''; },
  short(type) { return (type || '').replace(/^io\.pxewings\./, '').replace(/\.v\d+$/, ''); },
  bootMac(m) { const n = (m.nics || []).find(x => x.boot) || (m.nics || [])[0]; return n ? n.mac : ''; },
  labels(m) { return Object.entries(m.labels || {}).map(([k, v]) => k + '=' + v).join(', '); },
};

/**
 * When each event reached the page, by id: what the browser test reads to print the live latency.
 * The newest 2,000 only, so an events page left open through a storm does not grow without end.
 */
window.wingsArrivals = {};
let wingsArrivalCount = 0;
function arrival(e) {
  if (!(e.id in window.wingsArrivals) && ++wingsArrivalCount > 2000) {
    delete window.wingsArrivals[Object.keys(window.wingsArrivals)[0]];
  }
  window.wingsArrivals[e.id] = {type: e.type, time: e.time, at: Date.now()};
}

const STATES = ['expected', 'discovered', 'inventoried', 'ready', 'provisioning', 'provisioned', 'failed', 'maintenance', 'retired'];

/** The page's address: #/machines?site=x, #/machine/ID, #/run/ID. */
function parseRoute() {
  const h = location.hash.replace(/^#\/?/, '');
  const [path, query] = h.split('?');
  const [page, id] = path.split('/');
  return {page: page || 'sites', id: id ? decodeURIComponent(id) : null, query: new URLSearchParams(query || '')};
}

document.addEventListener('alpine:init', () => {
  Alpine.data('shell', () => ({
    pages: [{name: 'sites', title: 'Sites'}, {name: 'machines', title: 'Machines'}, {name: 'runs', title: 'Runs'},
      {name: 'images', title: 'Images'}, {name: 'events', title: 'Events'}],
    route: parseRoute(),
    error: '',
    notice: '',
    dark: true,
    start() {
      this.dark = localStorage.getItem('wings-theme') !== 'light';
      this.applyTheme();
      window.addEventListener('hashchange', () => {
        const next = parseRoute();
        this.error = ''; this.notice = '';
        if (next.page !== this.route.page) { this.route = next; return; }
        // The same page with another machine or filter: a new component, not the old one's state.
        this.route = {page: '', id: null, query: new URLSearchParams()};
        this.$nextTick(() => { this.route = next; });
      });
      window.addEventListener('wings-error', e => { this.error = e.detail; });
      window.addEventListener('wings-notice', e => { this.notice = e.detail; this.error = ''; });
    },
    toggleTheme() { this.dark = !this.dark; localStorage.setItem('wings-theme', this.dark ? 'dark' : 'light'); this.applyTheme(); },
    applyTheme() { document.documentElement.dataset.theme = this.dark ? 'dark' : 'light'; },
  }));

  const fail = e => window.dispatchEvent(new CustomEvent('wings-error', {detail: e.message || String(e)}));
  const tell = text => window.dispatchEvent(new CustomEvent('wings-notice', {detail: text}));

  Alpine.data('sitesPage', () => ({
    sites: [], queues: {}, services: [], failed: [], loaded: false,
    async load() {
      try {
        const [sites, services, failed] = await Promise.all([api.get('inventory', '/api/v1/sites'),
          api.get('orchestrator', '/api/v1/services'), api.get('orchestrator', '/api/v1/runs?status=failed&limit=50')]);
        this.services = services;
        this.failed = failed.runs;
        const queues = {};
        await Promise.all(sites.map(async s => { queues[s.name] = await api.get('orchestrator', '/api/v1/sites/' + encodeURIComponent(s.name) + '/queue'); }));
        this.queues = queues;
        this.sites = sites;
      } catch (e) { fail(e); }
      this.loaded = true;
    },
    states(s) { return STATES.filter(st => (s.states || {})[st]).map(st => ({state: st, count: s.states[st]})); },
    stateSummary(s) { return this.states(s).map(x => x.count + ' ' + x.state).join(', ') || 'no machines'; },
    queueText(site) {
      const q = this.queues[site];
      if (!q) return '-';
      const caps = q.caps || {};
      return q.running + ' running of ' + q.maxRuns + ', ' + q.queued + ' queued; waiting at caps: ' + (q.waiting || []).length
        + Object.entries(caps).map(([k, v]) => ' · ' + k + ' ' + (typeof v === 'object' ? JSON.stringify(v) : v)).join('');
    },
    instances(site) { return this.services.filter(i => i.site === site); },
    failures(site) { return this.failed.filter(r => r.site === site).slice(0, 5).map(r => ({...r, reason: r.error})); },
  }));

  Alpine.data('machinesPage', () => ({
    f: {site: '', state: '', selector: '', q: '', sort: 'hostname'},
    allStates: STATES, items: [], next: null, cursors: [], cursor: null, busy: false,
    selected: new Set(), image: '',
    bootMac: fmt.bootMac, labels: fmt.labels,
    load() {
      const q = this.route.query;
      for (const k of Object.keys(this.f)) if (q.get(k)) this.f[k] = q.get(k);
      this.fetch();
    },
    apply() {
      this.cursors = []; this.cursor = null; this.selected = new Set();
      const q = new URLSearchParams(Object.entries(this.f).filter(([, v]) => v));
      history.replaceState(null, '', '#/machines' + (q.toString() ? '?' + q : ''));
      this.fetch();
    },
    async fetch() {
      this.busy = true;
      const q = new URLSearchParams(Object.entries(this.f).filter(([, v]) => v));
      q.set('limit', '50');
      if (this.cursor) q.set('cursor', this.cursor);
      const t0 = performance.now();
      try {
        const page = await api.get('inventory', '/api/v1/machines?' + q);
        this.items = page.items;
        this.next = page.next;
      } catch (e) { fail(e); this.items = []; this.next = null; }
      this.busy = false;
      // For the browser test's timing: the page's data in, drawn on the next frame.
      await this.$nextTick();
      requestAnimationFrame(() => { window.wingsLastListMs = performance.now() - t0; });
    },
    more() { this.cursors.push(this.cursor); this.cursor = this.next; this.fetch(); },
    previous() { this.cursor = this.cursors.pop() || null; this.fetch(); },
    toggle(id, on) { const s = new Set(this.selected); on ? s.add(id) : s.delete(id); this.selected = s; },
    selectAll(on) { this.selected = on ? new Set(this.items.map(m => m.id)) : new Set(); },
    async bulk(action) {
      const ids = [...this.selected];
      const what = {provision: 'Provision', deprovision: 'Deprovision', cycle: 'Power-cycle'}[action];
      if (action === 'provision' && !this.image) { fail(new Error('name the image to provision (name or name:version)')); return; }
      if (!confirm(what + ' ' + ids.length + (ids.length === 1 ? ' machine' : ' machines') + (action === 'provision' ? ' with ' + this.image : '') + '?')) return;
      try {
        if (action === 'cycle') {
          const out = await Promise.allSettled(ids.map(id => api.post('bmc', '/api/v1/machines/' + id + '/power?requestedBy=console', {action: 'cycle'})));
          const bad = out.filter(o => o.status === 'rejected');
          if (bad.length) throw new Error(bad.length + ' of ' + ids.length + ' refused: ' + bad[0].reason.message);
          tell('power-cycle sent to ' + ids.length + ' machines');
        } else {
          const body = {machines: ids, workflow: action, by: 'console', idempotencyKey: 'console-' + crypto.randomUUID()};
          if (action === 'provision') body.image = this.image;
          const r = await api.post('orchestrator', '/api/v1/runs', body);
          tell(r.runs.length + ' ' + action + ' runs started');
        }
        this.selected = new Set();
      } catch (e) { fail(e); }
    },
  }));

  Alpine.data('machinePage', () => ({
    m: null, run: null, events: [], live: false, stream: null, explanation: '', progress: null, timer: null, offline: '',
    bootMac: fmt.bootMac, labels: fmt.labels, bytes: fmt.bytes, time: fmt.time, short: fmt.short,
    async load() {
      const id = this.route.id;
      try {
        this.m = await api.get('inventory', '/api/v1/machines/' + encodeURIComponent(id));
      } catch (e) { fail(e); return; }
      try { await this.loadRun(); } catch (e) { fail(e); }
      this.stream = follow('/proxy/orchestrator/api/v1/events/stream?machine=' + encodeURIComponent(this.m.id), e => this.arrived(e), up => { this.live = up; });
      const stop = () => { if (this.stream) this.stream.stop(); clearInterval(this.timer); window.removeEventListener('hashchange', stop); };
      window.addEventListener('hashchange', stop);
      this.timer = setInterval(() => this.refresh(), 10000);
    },
    async loadRun() {
      const runs = await api.get('orchestrator', '/api/v1/runs?machine=' + encodeURIComponent(this.m.id) + '&limit=1');
      this.run = runs.runs.length ? await api.get('orchestrator', '/api/v1/runs/' + runs.runs[0].id) : null;
    },
    /** Read again in the background: a service away for a while is said on the page, and unsaid once it answers. */
    async refresh() {
      try {
        this.m = await api.get('inventory', '/api/v1/machines/' + encodeURIComponent(this.m.id));
        await this.loadRun();
        this.offline = '';
      } catch (e) { this.offline = e.message + ' (since ' + fmt.time(new Date()) + '; retrying)'; }
    },
    arrived(e) {
      this.events.push(e);
      arrival(e);
      if (e.type === 'io.pxewings.agent.task.progress.v1' && e.data && e.data.bytes != null) {
        const d = e.data;
        this.progress = {done: d.bytes, total: d.totalBytes || d.bytes || 1, text: ' ' + fmt.bytes(d.bytes)
          + (d.totalBytes ? ' of ' + fmt.bytes(d.totalBytes) : '') + (d.bytesPerSecond ? ' · ' + (d.bytesPerSecond / 1e6).toFixed(1) + ' MB/s' : '')};
      }
      // A fact that moves the run or the machine: read them again now, not at the next tick.
      if (/\.(run|machine)\./.test(e.type)) { this.refresh(); }
    },
    summary(e) {
      const d = e.data || {};
      return d.stage ? d.stage + (d.status ? ' ' + d.status : '') : d.to ? d.from + ' → ' + d.to : d.message || d.action || d.kind || d.address || d.file || '';
    },
    stages() {
      const seen = new Map();
      for (const h of this.run.history) {
        if (h.stage === 'admit' || h.stage === 'done') continue;
        seen.set(h.stage, h.what === 'completed' ? 'completed' : h.what === 'failed' ? 'failed' : 'current');
      }
      return [...seen].map(([stage, state]) => ({stage, state: stage === this.run.run.stage && this.run.run.status === 'running' ? 'current' : state}));
    },
    cpu() { const m = this.m; return m.cpuModel ? m.cpuModel + (m.cpuThreads ? ' · ' + m.cpuThreads + ' threads' : '') : '-'; },
    async cancelRun() {
      if (!confirm('Cancel the ' + this.run.run.workflow + ' run of ' + (this.m.hostname || fmt.bootMac(this.m)) + '?')) return;
      try { await api.post('orchestrator', '/api/v1/runs/' + this.run.run.id + '/cancel?by=console'); tell('run cancelled'); } catch (e) { fail(e); }
    },
    async power(action) {
      if (!confirm('Power ' + action + ' ' + (this.m.hostname || fmt.bootMac(this.m)) + '?')) return;
      try {
        await api.post('bmc', '/api/v1/machines/' + this.m.id + '/power?requestedBy=console', {action});
        tell('power ' + action + ' sent');
      } catch (e) { fail(e); }
    },
    async bootPxe() {
      try {
        await api.call('PUT', 'bmc', '/api/v1/machines/' + this.m.id + '/boot-device?requestedBy=console', {device: 'pxe', persistent: false});
        tell('next boot: PXE');
      } catch (e) { fail(e); }
    },
    async explain() {
      try {
        const dhcp = await api.ofSite('dhcp', this.m.site);
        this.explanation = JSON.stringify(await api.get(dhcp, '/api/v1/dhcp/machines/' + fmt.bootMac(this.m) + '/explain'), null, 2);
      }
      catch (e) { this.explanation = e.message; }
    },
  }));

  Alpine.data('runsPage', () => ({
    runs: [], status: '', site: '', time: fmt.time,
    async load() {
      const q = new URLSearchParams({limit: '200'});
      if (this.status) q.set('status', this.status);
      if (this.site) q.set('site', this.site);
      try { this.runs = (await api.get('orchestrator', '/api/v1/runs?' + q)).runs; } catch (e) { fail(e); }
    },
  }));

  Alpine.data('runPage', () => ({
    r: null, from: '', time: fmt.time, timer: null,
    async load() {
      await this.read();
      this.timer = setInterval(() => this.read(), 3000);
      const stop = () => { clearInterval(this.timer); window.removeEventListener('hashchange', stop); };
      window.addEventListener('hashchange', stop);
    },
    async read() {
      try {
        this.r = await api.get('orchestrator', '/api/v1/runs/' + encodeURIComponent(this.route.id));
        if (!this.from) this.from = this.stageNames()[0] || '';
      } catch (e) { fail(e); clearInterval(this.timer); }
    },
    done() { return ['succeeded', 'failed', 'cancelled'].includes(this.r.run.status); },
    stageNames() { return [...new Set(this.r.history.map(h => h.stage).filter(s => s !== 'admit' && s !== 'done'))]; },
    durations() {
      const out = [];
      const entered = this.r.history.filter(h => h.what === 'entered' || h.what === 'requested');
      entered.forEach((h, i) => {
        const end = entered[i + 1] ? new Date(entered[i + 1].at) : (this.done() ? new Date(this.r.run.updatedAt) : new Date());
        const last = [...this.r.history].reverse().find(x => x.stage === h.stage);
        out.push({key: i, stage: h.stage, at: h.at, took: ((end - new Date(h.at)) / 1000).toFixed(1) + ' s', detail: last ? last.what + ': ' + (last.detail || '') : ''});
      });
      return out;
    },
    async cancel() {
      if (!confirm('Cancel this run of ' + this.r.run.mac + '?')) return;
      try { await api.post('orchestrator', '/api/v1/runs/' + this.r.run.id + '/cancel?by=console'); tell('run cancelled'); await this.read(); } catch (e) { fail(e); }
    },
    async retry() {
      try { await api.post('orchestrator', '/api/v1/runs/' + this.r.run.id + '/retry?by=console&stage=' + encodeURIComponent(this.from)); tell('run retried from ' + this.from); await this.read(); } catch (e) { fail(e); }
    },
  }));

  Alpine.data('imagesPage', () => ({
    images: [], bytes: fmt.bytes, formats: ['raw.zst', 'raw.xz', 'raw.gz', 'raw', 'qcow2'],
    up: {file: null, sig: null, name: '', version: '', os: '', arch: 'x86_64', firmware: 'both', format: 'raw.zst',
      root: '', kernel: '', initrd: '', busy: false, stop: false, sent: 0, total: 0, status: ''},
    caches: {},
    async load() {
      try {
        const [images, caches] = await Promise.all([api.get('image', '/api/v1/images?limit=200'), api.get('orchestrator', '/api/v1/image-caches')]);
        const by = {};
        for (const c of caches.caches) (by[c.digest] = by[c.digest] || new Set()).add(c.site);
        this.caches = by;
        this.images = images.images;
      } catch (e) { fail(e); }
    },
    cachedAt(i) { const s = this.caches['sha256:' + i.sha256]; return s ? [...s].sort().join(', ') : 'none'; },
    guessFormat() {
      const n = this.up.file ? this.up.file.name : '';
      const f = this.formats.find(x => n.endsWith('.' + x));
      if (f) this.up.format = f;
    },
    async upload() {
      const up = this.up;
      up.busy = true; up.stop = false;
      try {
        const digest = await uploadResumably(up.file, s => { up.sent = s.sent; up.total = s.total; up.status = s.text; }, () => up.stop);
        if (digest == null) { up.status = 'paused at ' + fmt.bytes(up.sent) + ': upload again to resume'; return; }
        const hints = Object.fromEntries(['root', 'kernel', 'initrd'].filter(k => up[k]).map(k => [k, up[k]]));
        const body = {name: up.name, version: up.version, os: up.os, arch: up.arch, firmware: up.firmware, format: up.format,
          blob: digest, bootHints: hints};
        if (up.sig) body.signature = await up.sig.text();
        up.status = 'publishing (image-service reads it through once)';
        const image = await api.post('image', '/api/v1/images?by=console', body);
        tell('published ' + image.name + ':' + image.version + (image.deployable ? '' : ' (not deployable: ' + (image.signedBy ? 'yanked' : 'not signed by a trusted key') + ')'));
        up.status = 'published ' + image.name + ':' + image.version;
        await this.load();
      } catch (e) { fail(e); up.status = 'failed: ' + e.message; } finally { up.busy = false; }
    },
  }));

  Alpine.data('eventsPage', () => ({
    shown: [], held: [], paused: false, overflow: false, type: '', site: '', stream: null, time: fmt.time, short: fmt.short,
    /** Held while paused, at most; past that the stream closes and resume reads the rest from the log after the last one held. */
    HOLD: 5000,
    start() {
      const stop = () => { if (this.stream) this.stream.stop(); window.removeEventListener('hashchange', stop); };
      window.addEventListener('hashchange', stop);
      const hold = Number(this.route.query.get('hold'));   // #/events?hold=N: a smaller bound (the browser test's)
      if (hold >= 1 && hold < this.HOLD) this.HOLD = hold;
      this.restart();
    },
    restart() {
      if (this.stream) this.stream.stop();
      this.shown = []; this.held = []; this.overflow = false;
      const q = new URLSearchParams({from: 'now'});
      if (this.type) q.set('type', this.type.startsWith('io.') ? this.type : 'io.pxewings.' + this.type);
      if (this.site) q.set('site', this.site);
      this.path = '/proxy/orchestrator/api/v1/events/stream?' + q;
      this.open(null);
    },
    open(fromId) {
      this.stream = follow(this.path, e => {
        arrival(e);
        if (!this.paused) { this.add([e]); return; }
        if (this.overflow) return;   // read again from the log on resume
        this.held.push(e);
        if (this.held.length >= this.HOLD) { this.overflow = true; this.stream.stop(); }
      }, () => {}, fromId);
    },
    add(list) { this.shown = [...list].reverse().concat(this.shown).slice(0, 500); },
    pause() { this.paused = true; },
    resume() {
      this.paused = false;
      const h = this.held;
      this.held = [];
      this.add(h);
      // The stream's ids are the log's seq (each event carries it): go on after the last one held.
      if (this.overflow) { this.overflow = false; this.open(String(h[h.length - 1].seq)); }
    },
  }));
});

