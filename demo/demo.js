// Helpers the demo pages share: the mock customer list, demo tokens, the language switch and
// the page's own strings. Not part of the library: a real CRM has its own of each.

/** The mock CRM's customers (a real page would load its own records). */
export const customers = [
  { id: 'cust-1', name: 'Li Wei', policy: 'AUTO-20481', claim: 'Rear-end collision, Pudong', city: 'Shanghai' },
  { id: 'cust-2', name: 'Zhang Min', policy: 'AUTO-31177', claim: 'Hail damage, roof and bonnet', city: 'Hangzhou' },
  { id: 'cust-3', name: 'Wang Fang', policy: 'AUTO-11802', claim: 'Parking scrape, left doors', city: 'Suzhou' },
  { id: 'cust-4', name: 'Chen Jie', policy: 'HOME-50219', claim: 'Water leak, kitchen ceiling', city: 'Nanjing' },
  { id: 'cust-5', name: 'Anna Schmidt', policy: 'AUTO-72004', claim: 'Windscreen crack', city: 'Beijing' },
  { id: 'cust-6', name: 'James Carter', policy: 'AUTO-66310', claim: 'Side mirror knocked off', city: 'Shenzhen' },
];

export const customerById = (id) => customers.find((c) => c.id === id) ?? { id, name: id, policy: '—', claim: '—', city: '—' };

/** The control center's WebSocket URL: the server that served this page. */
export const serverUrl = () => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;

/** A demo token from the server's demo mode (`POST /v1/dev-token`). A real CRM mints its own. */
export async function devToken(role, sub) {
  const res = await fetch('/v1/dev-token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ role, sub }),
  });
  if (!res.ok) throw new Error(`POST /v1/dev-token: ${res.status} ${await res.text()}`);
  return (await res.json()).token;
}

/** Whether the server runs without Janus (`npm start -- --media none`). */
export async function mediaOff() {
  try {
    const h = await (await fetch('/healthz')).json();
    return h.media === 'off';
  } catch {
    return false;
  }
}

const strings = {
  en: {
    crm: 'Acme Claims CRM',
    home: 'Demo home',
    customers: 'Customers',
    inCall: 'in call',
    caseTitle: 'Case',
    caseEmpty: 'Answer a call: its customer’s case opens here (the screen pop).',
    name: 'Customer',
    id: 'Customer id',
    policy: 'Policy',
    claim: 'Claim',
    virtualSeat: 'Virtual seat',
    queue: 'Queue',
    callId: 'Call id',
    split: 'Split',
    splitsN: '{n} splits',
    activity: 'Activity',
    mediaOff: 'Media is off (started with --media none): calls connect and the rules run, but there is no video.',
    callerTitle: 'Acme Insurance · video claim',
    callerIntro: 'You are {name} ({id}). Press Call: an agent sees your camera as soon as they answer.',
    agentPage: 'Agent page',
    callerPage: 'Customer page',
    open: 'Open',
    openN: 'Open {n} customers',
    homeTitle: 'multi-seat demo',
    homeIntro: 'One agent serves several video customers at once: the seat is split into panes, and the control center rings one call at a time.',
    tryIt: 'Try it',
    step1: 'Open the agent page for seat-1 (2 splits) and press “Not ready” to go ready.',
    step2: 'Open two customers (the button below opens them side by side in one tab) and press Call in each.',
    step3: 'Answer the first call; the second rings next. Click a pane to talk to its customer (focus), transfer one to seat-2, hang up.',
    agents: 'Agents',
    callersTitle: 'Customers',
    capacity: 'Capacity planning: the claims workload',
    capacityNote: 'Agents needed for 120 calls/h (2 min talk, 8 min upload, 1.5 min closing talk, 80 % answered within 20 s), by split count. Left: the default least-busy strategy; right: threshold.',
    callers: 'Customers on this page',
  },
  'zh-CN': {
    crm: 'Acme 理赔 CRM',
    home: '演示首页',
    customers: '客户',
    inCall: '通话中',
    caseTitle: '案件',
    caseEmpty: '接听来电后，客户的案件会在此打开（弹屏）。',
    name: '客户',
    id: '客户编号',
    policy: '保单',
    claim: '理赔',
    virtualSeat: '虚拟座席',
    queue: '队列',
    callId: '呼叫编号',
    split: '分屏',
    splitsN: '{n} 个分屏',
    activity: '动态',
    mediaOff: '媒体已关闭（以 --media none 启动）：通话可以接通，规则照常运行，但没有视频。',
    callerTitle: 'Acme 保险 · 视频理赔',
    callerIntro: '您是 {name}（{id}）。点击“呼叫”，坐席接听后即可看到您的画面。',
    agentPage: '坐席页面',
    callerPage: '客户页面',
    open: '打开',
    openN: '打开 {n} 个客户',
    homeTitle: 'multi-seat 演示',
    homeIntro: '一名坐席同时服务多位视频客户：座席分为多个分屏，控制中心一次只让一个来电振铃。',
    tryIt: '试一试',
    step1: '打开 seat-1 的坐席页面（2 个分屏），点击“未就绪”切换为就绪。',
    step2: '打开两个客户（下方按钮会在一个标签页中并排打开），分别点击“呼叫”。',
    step3: '接听第一个来电，第二个随后振铃。点击分屏即可与该客户通话（焦点），把其中一个转接到 seat-2，然后挂机。',
    agents: '坐席',
    callersTitle: '客户',
    capacity: '容量规划：理赔业务',
    capacityNote: '每小时 120 通（通话 2 分钟、上传 8 分钟、结束通话 1.5 分钟，80% 在 20 秒内接听）所需坐席数，按分屏数。左：默认的 least-busy 策略；右：threshold。',
    callers: '本页客户',
  },
};

/** The page language: ?lang=, else the last choice, else the browser's. */
export function currentLang() {
  const q = new URLSearchParams(location.search).get('lang');
  const saved = localStorage.getItem('multi-seat-demo-lang');
  const l = q || saved || (navigator.language?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en');
  return l.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** A page string in the current language, with {placeholders}. */
export function t(key, vars = {}) {
  const s = strings[document.documentElement.lang]?.[key] ?? strings.en[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));
}

/**
 * Sets the page language: `<html lang>` (the elements follow the nearest `lang` up the page)
 * and every `[data-t]` text. `onChange` re-renders what the page builds itself.
 */
export function setLang(lang, onChange) {
  document.documentElement.lang = lang;
  localStorage.setItem('multi-seat-demo-lang', lang);
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  for (const b of document.querySelectorAll('.lang-switch button')) b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
  onChange?.(lang);
}

/** Wires the EN / 中文 switch in the header. */
export function langSwitch(onChange) {
  for (const b of document.querySelectorAll('.lang-switch button')) b.addEventListener('click', () => setLang(b.dataset.lang, onChange));
  setLang(currentLang(), onChange);
}

/** Shows why a page could not start, in its alert banner, instead of leaving it blank. */
export function showPageError(e) {
  const el = document.getElementById('page-error');
  el.textContent = String(e?.message ?? e);
  el.hidden = false;
}
