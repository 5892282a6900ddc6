// The msgport console page: polls the JSON API and renders queues (with uPlot depth charts),
// dead-letter queues (browse, redrive) and topics. Every value from the broker is set as text,
// never as HTML, since message bodies and names are untrusted.

const HISTORY_POINTS = 720; // one hour at the default 5 s refresh
const SERIES = [
  { key: 'visible', label: 'visible', color: '#2f6fde' },
  { key: 'inFlight', label: 'in flight', color: '#d97706' },
  { key: 'delayed', label: 'delayed', color: '#7c3aed' },
];

const state = { pollSeconds: 5, history: new Map(), cards: new Map(), dlqPanels: new Map() };

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child);
  return node;
}

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: options.body ? { 'content-type': 'application/json' } : {},
  });
  const payload = await response.json();
  if (!response.ok) throw new Error(`${payload.error?.code ?? response.status}: ${payload.error?.message ?? ''}`);
  return payload;
}

let toastTimer;
function toast(text, isError = false) {
  const node = document.getElementById('toast');
  node.textContent = text;
  node.className = isError ? 'toast error' : 'toast';
  node.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    node.hidden = true;
  }, 6000);
}

function setStatus(text, isError = false) {
  const node = document.getElementById('status');
  node.textContent = text;
  node.className = isError ? 'status error' : 'status';
}

function formatAge(seconds) {
  if (!seconds) return '–';
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
  return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m`;
}

// ---- queues ----------------------------------------------------------------------------------

function metric(name, label) {
  return el(
    'div',
    { class: 'metric' },
    el('div', { class: `value ${name}`, 'data-metric': name }, '0'),
    el('div', { class: 'label' }, label),
  );
}

function createCard(row) {
  const chartBox = el('div', { class: 'chart' });
  const badges = [];
  if (row.fifo) badges.push(el('span', { class: 'badge' }, 'FIFO'));
  if (row.dlqOf.length > 0) badges.push(el('span', { class: 'badge dlq' }, `DLQ of ${row.dlqOf.join(', ')}`));
  const foot = el('div', { class: 'card-foot' });
  const card = el(
    'article',
    { class: 'card', 'data-queue': row.name },
    el('div', { class: 'card-head' }, el('h3', { title: row.name }, row.name), ...badges),
    el(
      'div',
      { class: 'metrics' },
      metric('visible', 'visible'),
      metric('inFlight', 'in flight'),
      metric('delayed', 'delayed'),
      metric('oldest', 'oldest'),
    ),
    chartBox,
    foot,
  );
  document.getElementById('queues').append(card);
  const chart = new uPlot(
    {
      width: Math.max(280, chartBox.clientWidth),
      height: 130,
      cursor: { drag: { x: false, y: false } },
      legend: { show: false },
      scales: { y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.15))] } },
      axes: [
        {
          stroke: '#667085',
          grid: { stroke: '#eef0f3' },
          ticks: { show: false },
          space: 70,
          values: (_u, splits) => splits.map((t) => new Date(t * 1000).toLocaleTimeString([], { hour12: false })),
        },
        { stroke: '#667085', grid: { stroke: '#eef0f3' }, ticks: { show: false }, size: 40 },
      ],
      series: [{}, ...SERIES.map((s) => ({ label: s.label, stroke: s.color, width: 2, points: { show: false } }))],
    },
    [[], [], [], []],
    chartBox,
  );
  return { card, chart, foot, chartBox };
}

function record(at, row) {
  const history = state.history.get(row.name) ?? { t: [], visible: [], inFlight: [], delayed: [] };
  history.t.push(at / 1000);
  for (const s of SERIES) history[s.key].push(row[s.key]);
  if (history.t.length > HISTORY_POINTS) for (const key of Object.keys(history)) history[key].shift();
  state.history.set(row.name, history);
  return history;
}

function renderQueues(at, rows) {
  const seen = new Set();
  for (const row of rows) {
    seen.add(row.name);
    const history = record(at, row);
    let view = state.cards.get(row.name);
    if (!view) {
      view = createCard(row);
      state.cards.set(row.name, view);
    }
    for (const key of ['visible', 'inFlight', 'delayed']) {
      view.card.querySelector(`[data-metric="${key}"]`).textContent = String(row[key]);
    }
    view.card.querySelector('[data-metric="oldest"]').textContent = formatAge(row.oldestAgeSeconds);
    view.foot.textContent = row.dlq
      ? `DLQ ${row.dlq}: ${row.dlqDepth ?? 'missing'} · max receives ${row.maxReceiveCount}`
      : 'no dead-letter queue';
    view.chart.setData([history.t, history.visible, history.inFlight, history.delayed]);
  }
  for (const [name, view] of state.cards) {
    if (seen.has(name)) continue;
    view.chart.destroy();
    view.card.remove();
    state.cards.delete(name);
    state.history.delete(name);
  }
  document.getElementById('queues-empty').hidden = rows.length > 0;
}

// ---- dead-letter queues ----------------------------------------------------------------------

function messagesTable(messages) {
  if (messages.length === 0) return el('p', { class: 'empty', style: 'padding: 0 16px 12px' }, 'No visible messages.');
  const rows = messages.map((m) =>
    el(
      'tr',
      { 'data-message': m.messageId },
      el('td', {}, el('code', {}, m.messageId), el('div', { class: 'hint' }, new Date(m.sentAt).toLocaleString())),
      el('td', { class: 'depth' }, String(m.receiveCount)),
      el(
        'td',
        {},
        ...Object.entries(m.attributes).map(([k, a]) =>
          el('span', { class: 'attr', title: a.type }, `${k} = ${a.value}`),
        ),
      ),
      el('td', {}, el('pre', {}, m.body)),
    ),
  );
  return el(
    'table',
    {},
    el(
      'thead',
      {},
      el('tr', {}, el('th', {}, 'message'), el('th', {}, 'receives'), el('th', {}, 'attributes'), el('th', {}, 'body')),
    ),
    el('tbody', {}, ...rows),
  );
}

async function showMessages(panel, name) {
  panel.body.replaceChildren(el('p', { class: 'hint', style: 'padding: 0 16px 12px' }, 'Loading…'));
  try {
    const { messages } = await api(`/api/queues/${encodeURIComponent(name)}/messages?count=10`);
    panel.body.replaceChildren(messagesTable(messages));
  } catch (error) {
    panel.body.replaceChildren();
    toast(error.message, true);
  }
}

async function redrive(panel, row, button) {
  if (!button.classList.contains('confirm')) {
    button.classList.add('confirm');
    button.textContent = `Confirm: move ${row.visible} to ${row.dlqOf[0]}`;
    setTimeout(() => resetRedrive(button), 5000);
    return;
  }
  resetRedrive(button);
  button.disabled = true;
  try {
    const result = await api(`/api/queues/${encodeURIComponent(row.name)}/redrive`, {
      method: 'POST',
      body: JSON.stringify({}),
    });
    toast(`Moved ${result.moved} messages from ${result.from} to ${result.to}`);
    panel.body.replaceChildren();
    await refreshQueues();
  } catch (error) {
    toast(error.message, true);
  } finally {
    button.disabled = false;
  }
}

function resetRedrive(button) {
  button.classList.remove('confirm');
  button.textContent = 'Redrive';
}

function renderDlqs(rows) {
  const dlqs = rows.filter((row) => row.dlqOf.length > 0);
  const container = document.getElementById('dlqs');
  const seen = new Set();
  for (const row of dlqs) {
    seen.add(row.name);
    let panel = state.dlqPanels.get(row.name);
    if (!panel) {
      const depth = el('span', { class: 'depth' });
      const body = el('div');
      const browse = el('button', { type: 'button' }, 'Show messages');
      const redriveButton = el('button', { type: 'button', class: 'primary', 'data-redrive': row.name }, 'Redrive');
      const node = el(
        'div',
        { class: 'panel', 'data-dlq': row.name },
        el(
          'div',
          { class: 'panel-head' },
          el('h3', {}, row.name),
          depth,
          el('span', { class: 'spacer' }),
          browse,
          redriveButton,
        ),
        body,
      );
      panel = { node, depth, body, redriveButton, row };
      browse.addEventListener('click', () => showMessages(panel, row.name));
      redriveButton.addEventListener('click', () => redrive(panel, panel.row, redriveButton));
      container.append(node);
      state.dlqPanels.set(row.name, panel);
    }
    panel.row = row;
    const depth = el('strong', { 'data-dlq-depth': row.name }, String(row.visible));
    panel.depth.replaceChildren(depth, ` messages · from ${row.dlqOf.join(', ')}`);
    panel.redriveButton.disabled = row.visible === 0 || row.dlqOf.length !== 1;
    panel.redriveButton.title = row.dlqOf.length > 1 ? 'Several queues use this DLQ: use msgport redrive --to' : '';
  }
  for (const [name, panel] of state.dlqPanels) {
    if (seen.has(name)) continue;
    panel.node.remove();
    state.dlqPanels.delete(name);
  }
  document.getElementById('dlqs-empty').hidden = dlqs.length > 0;
}

// ---- topics ----------------------------------------------------------------------------------

function renderTopics(topics) {
  const rows = topics.flatMap((topic) =>
    (topic.subscriptions.length > 0 ? topic.subscriptions : [null]).map((s, index) =>
      el(
        'tr',
        { 'data-topic': topic.name },
        el('td', {}, index === 0 ? el('strong', {}, topic.name) : ''),
        el('td', {}, s ? s.queue : el('span', { class: 'hint' }, 'no subscriptions')),
        el('td', {}, s ? (s.rawMessageDelivery ? 'raw' : 'SNS envelope') : ''),
        el(
          'td',
          {},
          s?.filterPolicy
            ? el(
                'div',
                {},
                el('code', {}, JSON.stringify(s.filterPolicy)),
                el('div', { class: 'hint' }, `on ${s.filterPolicyScope}`),
              )
            : s
              ? el('span', { class: 'hint' }, 'all messages')
              : '',
        ),
      ),
    ),
  );
  const table = el(
    'div',
    { class: 'panel' },
    el(
      'table',
      {},
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', {}, 'topic'),
          el('th', {}, 'subscribed queue'),
          el('th', {}, 'delivery'),
          el('th', {}, 'filter policy'),
        ),
      ),
      el('tbody', {}, ...rows),
    ),
  );
  document.getElementById('topics').replaceChildren(...(topics.length > 0 ? [table] : []));
  document.getElementById('topics-empty').hidden = topics.length > 0;
}

// ---- polling ---------------------------------------------------------------------------------

async function refreshQueues() {
  const { at, queues } = await api('/api/queues');
  renderQueues(at, queues);
  renderDlqs(queues);
  setStatus(`updated ${new Date(at).toLocaleTimeString()}`);
}

async function refreshTopics() {
  const { topics } = await api('/api/topics');
  renderTopics(topics);
}

function every(seconds, task) {
  const run = async () => {
    try {
      await task();
    } catch (error) {
      setStatus(error.message, true);
    }
    setTimeout(run, seconds * 1000);
  };
  run();
}

async function start() {
  const info = await api('/api/broker');
  state.pollSeconds = info.pollSeconds;
  document.getElementById('transport').textContent = info.transport;
  document.getElementById('broker-url').textContent = info.url;
  document.getElementById('queues-hint').textContent = `Depth over time, refreshed every ${info.pollSeconds} s.`;
  document.getElementById('topics-section').hidden = !info.topics;
  every(info.pollSeconds, refreshQueues);
  if (info.topics) every(Math.max(15, info.pollSeconds), refreshTopics);
  window.addEventListener('resize', () => {
    for (const view of state.cards.values())
      view.chart.setSize({ width: Math.max(280, view.chartBox.clientWidth), height: 130 });
  });
}

start().catch((error) => setStatus(error.message, true));
