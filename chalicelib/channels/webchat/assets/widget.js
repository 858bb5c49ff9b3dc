/* Tandem web-chat widget: embed with
 *   <script src="https://host/api/chat/widget.js" data-api="https://host/api" async></script>
 * Optional: data-identity-token (store-signed JWT for a logged-in shopper), data-title.
 * Dependency-free; message text is only ever rendered with textContent. */
(function () {
  "use strict";
  if (window.TandemChat) return; // embedded twice: keep the first

  var script = document.currentScript ||
    document.querySelector('script[data-api][src*="widget.js"]') ||
    document.querySelector("script[data-api]");
  if (!script) return;
  var API = (script.getAttribute("data-api") || "").replace(/\/+$/, "");
  var IDENTITY = script.getAttribute("data-identity-token") || "";
  if (IDENTITY.indexOf("{{") === 0) IDENTITY = ""; // an unsubstituted placeholder
  var TITLE = script.getAttribute("data-title") || "Chat with us";
  var SESSION_KEY = "tandem.session:" + API;
  var OPEN_KEY = "tandem.open:" + API;

  var POLL_FAST = 1000, POLL_IDLE_MIN = 2000, POLL_IDLE_MAX = 15000;
  var REPLY_WAIT_MS = 60000; // stop showing "typing" if nothing came back by then
  var SEND_RETRY_DELAYS = [1000, 2000, 4000, 8000, 15000];

  var state = {
    session: null, opening: null, cursor: null, seen: {}, pending: [], outbox: [],
    sending: false, awaitingSince: 0, idleDelay: POLL_IDLE_MIN, timer: 0, polling: false,
    handoff: null, humanName: null, unread: 0, restored: false
  };

  // ---- storage (may throw in private modes or sandboxed frames) ----
  function load(store, key) {
    try { return JSON.parse(window[store].getItem(key) || "null"); } catch (e) { return null; }
  }
  function save(store, key, value) {
    try {
      if (value === null) window[store].removeItem(key);
      else window[store].setItem(key, JSON.stringify(value));
    } catch (e) { /* storage unavailable: the widget still works for this page */ }
  }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); });
    return h.slice(0, 4).join("") + "-" + h.slice(4, 6).join("") + "-" + h.slice(6, 8).join("") +
      "-" + h.slice(8, 10).join("") + "-" + h.slice(10).join("");
  }
  function visitorId() {
    var id = load("localStorage", "tandem.visitor_id");
    if (!id) { id = uuid(); save("localStorage", "tandem.visitor_id", id); }
    return id;
  }

  // ---- API ----
  function NetworkError() { this.network = true; }
  function call(method, path, body, token) {
    var headers = { "Accept": "application/json" };
    if (body) headers["Content-Type"] = "application/json";
    if (token) headers["Authorization"] = "Bearer " + token;
    return fetch(API + path, {
      method: method, headers: headers, body: body ? JSON.stringify(body) : undefined,
      credentials: "omit", cache: "no-store"
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        return { status: res.status, data: data };
      });
    }, function () { throw new NetworkError(); });
  }
  function expired(s) {
    var t = Date.parse(s.expires_at);
    return !isNaN(t) && t - 30000 < Date.now();
  }
  // The stored session is reused unless it expired or belongs to another identity token.
  function restoreSession() {
    var s = load("sessionStorage", SESSION_KEY);
    if (s && s.session_id && s.token && !expired(s) && s.identity === IDENTITY.slice(-24)) return s;
    return null;
  }
  function localTimeZone() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || null; } catch (e) { return null; }
  }
  function ensureSession() {
    if (state.session && !expired(state.session)) return Promise.resolve(state.session);
    if (state.opening) return state.opening;
    var body = { visitor_id: visitorId() };
    if (IDENTITY) body.identity_token = IDENTITY;
    var zone = localTimeZone();
    if (zone) body.time_zone = zone; // the holding reply states the deadline in the shopper's time
    state.opening = call("POST", "/chat/sessions", body).then(function (r) {
      state.opening = null;
      if (r.status !== 201 && r.status !== 200) throw new Error("session " + r.status);
      var s = r.data;
      s.identity = IDENTITY.slice(-24);
      resetConversation(s);
      return s;
    }, function (e) { state.opening = null; throw e; });
    return state.opening;
  }
  function resetConversation(session) {
    state.session = session; state.cursor = null; state.seen = {};
    save("sessionStorage", SESSION_KEY, session);
    if (!ui.log) return;
    ui.log.textContent = "";
    ui.log.appendChild(ui.greeting);
    ui.greeting.hidden = !state.pending.length;
    // Messages still on their way belong to the new session: keep their bubbles.
    state.pending.forEach(function (p) { ui.log.appendChild(p.el); });
  }
  // An authenticated call; on 401 the session is dropped, re-opened once and the call repeated.
  function authed(method, pathOf, body, retried) {
    return ensureSession().then(function (s) {
      return call(method, pathOf(s.session_id), body, s.token).then(function (r) {
        if (r.status !== 401 || retried) return r;
        state.session = null; save("sessionStorage", SESSION_KEY, null);
        return authed(method, pathOf, body, true);
      });
    });
  }

  // ---- sending: one at a time, in order; a retry reuses the client_message_id ----
  function send(text) {
    text = text.trim();
    if (!text) return;
    var item = { id: uuid(), text: text, tries: 0, el: renderMessage({ author: "customer", text: text }) };
    item.el.classList.add("tandem-msg--pending");
    state.pending.push(item);
    state.outbox.push(item);
    flushOutbox();
  }
  function flushOutbox() {
    if (state.sending || !state.outbox.length) return;
    var item = state.outbox[0];
    state.sending = true;
    setStatus("");
    authed("POST", function (id) { return "/chat/sessions/" + encodeURIComponent(id) + "/messages"; },
      { text: item.text, client_message_id: item.id }).then(function (r) {
      if (r.status === 429 || r.status >= 500) throw new NetworkError();
      state.outbox.shift();
      state.sending = false;
      if (r.status >= 400) {
        markFailed(item, (r.data.error && r.data.error.message) || "Message not sent.");
      } else {
        item.messageId = r.data.message_id;
        item.el.classList.remove("tandem-msg--pending");
        if (!state.handoff) state.awaitingSince = Date.now();
        updateTyping();
        schedulePoll(POLL_FAST);
      }
      flushOutbox();
    }).catch(function () {
      state.sending = false;
      var delay = SEND_RETRY_DELAYS[item.tries++];
      if (delay === undefined) { state.outbox.shift(); markFailed(item, "Message not sent."); flushOutbox(); return; }
      setStatus("Connection problem. Retrying…");
      setTimeout(flushOutbox, delay);
    });
  }
  function markFailed(item, reason) {
    item.el.classList.remove("tandem-msg--pending");
    item.el.classList.add("tandem-msg--failed");
    var retry = el("button", "tandem-retry", reason + " Retry");
    retry.type = "button";
    retry.addEventListener("click", function () {
      item.el.classList.remove("tandem-msg--failed");
      item.el.classList.add("tandem-msg--pending");
      item.el.removeChild(retry);
      item.tries = 0;
      state.outbox.push(item);
      flushOutbox();
    });
    item.el.appendChild(retry);
  }

  // ---- polling: fast while a reply is expected, slower when idle, paused in hidden tabs ----
  function schedulePoll(delay) {
    clearTimeout(state.timer);
    state.timer = setTimeout(poll, delay);
  }
  function nextDelay() {
    if (state.awaitingSince && Date.now() - state.awaitingSince > REPLY_WAIT_MS) state.awaitingSince = 0;
    if (state.awaitingSince) return POLL_FAST;
    state.idleDelay = Math.min(state.idleDelay * 1.5, POLL_IDLE_MAX);
    return state.idleDelay;
  }
  function poll() {
    if (document.hidden || state.polling || !state.session) return;
    state.polling = true;
    var after = state.cursor ? "?after=" + encodeURIComponent(state.cursor) : "";
    authed("GET", function (id) { return "/chat/sessions/" + encodeURIComponent(id) + "/messages" + after; })
      .then(function (r) {
        if (r.status === 200) { receive(r.data); setStatus(""); }
      }, function () { state.idleDelay = POLL_IDLE_MAX / 2; })
      .then(function () {
        state.polling = false;
        if (!state.restored) { state.restored = true; ui.log.setAttribute("aria-busy", "false"); }
        updateTyping();
        schedulePoll(nextDelay());
      });
  }
  function receive(data) {
    var messages = data.messages || [];
    if (data.cursor) state.cursor = data.cursor;
    if ("handoff" in data) state.handoff = data.handoff && data.handoff.state === "human" ? data.handoff : null;
    if (state.handoff) state.awaitingSince = 0; // a human answers, not the AI: no "typing"
    messages.forEach(function (m) {
      if (state.seen[m.id]) return;
      state.seen[m.id] = true;
      if (m.author === "customer") { if (!adoptPending(m)) renderMessage(m); return; }
      if (m.author === "human") state.humanName = humanName(m) || state.humanName;
      state.awaitingSince = 0;
      state.idleDelay = POLL_IDLE_MIN;
      renderMessage(m);
      if (ui.panel.hidden && state.restored) { state.unread++; updateBadge(); }
    });
    updateHandoff();
  }
  // Our own message coming back from the server: keep the bubble already shown.
  function adoptPending(m) {
    for (var i = 0; i < state.pending.length; i++) {
      var p = state.pending[i];
      if (p.messageId === m.id || p.id === m.client_message_id || (!p.messageId && p.text === m.text)) {
        state.pending.splice(i, 1);
        p.el.setAttribute("data-message-id", m.id);
        return true;
      }
    }
    return false;
  }
  function humanName(m) {
    return (m.agent && m.agent.name) || m.author_name || m.agent_name || null;
  }

  // ---- rendering (textContent only) ----
  var ui = {};
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }
  function renderMessage(m) {
    var author = m.author === "ai" || m.author === "human" ? m.author : "customer";
    var node = el("div", "tandem-msg tandem-msg--" + author);
    node.setAttribute("data-author", author);
    if (m.id) node.setAttribute("data-message-id", m.id);
    var label = author === "customer" ? "You" : author === "ai" ? "AI assistant"
      : (humanName(m) ? humanName(m) + " · Support team" : "Support team");
    node.appendChild(el("span", "tandem-msg__label" + (author === "customer" ? " tandem-sr" : ""), label));
    node.appendChild(el("p", "tandem-msg__text", String(m.text || "")));
    ui.greeting.hidden = true;
    ui.log.appendChild(node);
    ui.log.scrollTop = ui.log.scrollHeight;
    return node;
  }
  function last(selector) {
    var nodes = ui.log.querySelectorAll(selector);
    return nodes.length ? nodes[nodes.length - 1].getAttribute("data-author") : null;
  }
  // While the shopper waits for a human, and who is here once one answered. The deadline itself is
  // stated once, in the holding reply, in the shopper's time zone: the note does not repeat it.
  function updateHandoff() {
    var waiting = last(".tandem-msg--customer, .tandem-msg--human") !== "human";
    var text = "";
    if (state.handoff && waiting) text = "Waiting for a teammate: they will reply here.";
    else if (last(".tandem-msg--ai, .tandem-msg--human") === "human") {
      text = "You're chatting with " + (state.humanName || "a teammate") + " from our team.";
    } else if (state.handoff) text = "A teammate will join this chat soon.";
    var stick = ui.log.scrollHeight - ui.log.scrollTop - ui.log.clientHeight < 40;
    ui.handoff.textContent = text;
    ui.handoff.hidden = !text;
    if (stick) ui.log.scrollTop = ui.log.scrollHeight; // the note took room: keep the newest in view
  }
  function updateTyping() { ui.typing.hidden = !state.awaitingSince; }
  function updateBadge() {
    ui.badge.textContent = state.unread ? String(state.unread) : "";
    ui.badge.hidden = !state.unread;
    ui.launcher.setAttribute("aria-label", state.unread ? "Open chat, " + state.unread + " new" : "Open chat");
  }
  function setStatus(text) { ui.status.textContent = text; ui.status.hidden = !text; }

  // ---- building the widget ----
  var CSS = [
    ".tandem-root,.tandem-root *{box-sizing:border-box}",
    ".tandem-root{position:fixed;right:20px;bottom:20px;z-index:2147483000;font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#0f172a}",
    ".tandem-launcher{width:60px;height:60px;border-radius:50%;border:0;background:#4338ca;color:#fff;cursor:pointer;box-shadow:0 8px 24px rgba(15,23,42,.25);display:flex;align-items:center;justify-content:center;position:relative;margin-left:auto}",
    ".tandem-launcher:hover{background:#3730a3}",
    ".tandem-root button:focus-visible,.tandem-log:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}",
    ".tandem-input:focus{outline:2px solid #4338ca;outline-offset:0;border-color:#4338ca}",
    ".tandem-badge{position:absolute;top:-2px;right:-2px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#b91c1c;color:#fff;font-size:12px;font-weight:700;line-height:22px;text-align:center}",
    ".tandem-panel{position:absolute;right:0;bottom:76px;width:370px;height:min(560px,calc(100vh - 120px));display:flex;flex-direction:column;background:#fff;border-radius:16px;box-shadow:0 16px 48px rgba(15,23,42,.28);overflow:hidden}",
    ".tandem-panel[hidden],.tandem-root [hidden]{display:none!important}",
    ".tandem-header{display:flex;align-items:center;gap:12px;padding:14px 16px;background:#4338ca;color:#fff}",
    ".tandem-title{margin:0;font-size:16px;font-weight:650}",
    ".tandem-subtitle{margin:0;font-size:13px;color:#e0e7ff}",
    ".tandem-close{margin-left:auto;width:36px;height:36px;border:0;border-radius:8px;background:transparent;color:#fff;font-size:22px;line-height:1;cursor:pointer}",
    ".tandem-close:hover{background:rgba(255,255,255,.15)}",
    ".tandem-handoff{margin:0;padding:10px 16px;background:#fef3c7;color:#78350f;font-size:13px;border-bottom:1px solid #fde68a}",
    ".tandem-log{flex:1;overflow-y:auto;padding:16px;display:flex;flex-direction:column;gap:10px;background:#f8fafc}",
    ".tandem-empty{margin:4px 0;color:#475569;font-size:14px;text-align:center}",
    ".tandem-msg{max-width:82%;padding:9px 13px;border-radius:14px;word-wrap:break-word;overflow-wrap:anywhere}",
    ".tandem-msg__text{margin:0;white-space:pre-wrap}",
    ".tandem-msg__label{display:block;font-size:12px;font-weight:650;margin-bottom:2px}",
    ".tandem-msg--customer{align-self:flex-end;background:#4338ca;color:#fff;border-bottom-right-radius:4px}",
    ".tandem-msg--ai{align-self:flex-start;background:#fff;border:1px solid #e2e8f0;border-bottom-left-radius:4px}",
    ".tandem-msg--ai .tandem-msg__label{color:#4338ca}",
    ".tandem-msg--human{align-self:flex-start;background:#ecfdf5;border:1px solid #6ee7b7;border-bottom-left-radius:4px}",
    ".tandem-msg--human .tandem-msg__label{color:#065f46}",
    ".tandem-msg--pending{opacity:.7}",
    ".tandem-msg--failed{background:#fee2e2;color:#7f1d1d}",
    ".tandem-retry{display:block;margin-top:6px;padding:0;border:0;background:none;color:inherit;text-decoration:underline;font:inherit;font-size:13px;cursor:pointer}",
    ".tandem-typing{display:flex;gap:4px;align-items:center;padding:0 16px 8px;background:#f8fafc;color:#475569;font-size:13px}",
    ".tandem-dot{width:7px;height:7px;border-radius:50%;background:#64748b;animation:tandem-blink 1.2s infinite}",
    ".tandem-dot:nth-child(2){animation-delay:.2s}.tandem-dot:nth-child(3){animation-delay:.4s}",
    "@keyframes tandem-blink{0%,80%,100%{opacity:.25}40%{opacity:1}}",
    "@media (prefers-reduced-motion:reduce){.tandem-dot{animation:none}}",
    ".tandem-status{margin:0;padding:6px 16px;background:#fff7ed;color:#9a3412;font-size:13px}",
    ".tandem-form{display:flex;gap:8px;align-items:flex-end;padding:10px 12px;border-top:1px solid #e2e8f0;background:#fff}",
    ".tandem-input{flex:1;min-height:42px;max-height:120px;resize:none;padding:10px 12px;border:1px solid #94a3b8;border-radius:10px;font:inherit;color:#0f172a;background:#fff}",
    ".tandem-send{height:42px;padding:0 16px;border:0;border-radius:10px;background:#4338ca;color:#fff;font:inherit;font-weight:650;cursor:pointer}",
    ".tandem-send:hover{background:#3730a3}",
    ".tandem-sr{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}",
    "@media (max-width:480px){.tandem-root{right:12px;bottom:12px}",
    ".tandem-panel{position:fixed;left:8px;right:8px;bottom:84px;width:auto;height:calc(100% - 100px)}}"
  ].join("\n");

  function icon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "28"); svg.setAttribute("height", "28");
    svg.setAttribute("viewBox", "0 0 24 24"); svg.setAttribute("aria-hidden", "true");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("fill", "currentColor");
    path.setAttribute("d", "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01z");
    svg.appendChild(path);
    return svg;
  }
  function build() {
    var style = el("style"); style.id = "tandem-chat-style"; style.textContent = CSS;
    document.head.appendChild(style);
    var root = ui.root = el("div", "tandem-root");
    var panel = ui.panel = el("div", "tandem-panel");
    panel.id = "tandem-chat-panel"; panel.hidden = true;
    panel.setAttribute("role", "dialog"); panel.setAttribute("aria-labelledby", "tandem-chat-title");
    var header = el("div", "tandem-header"), heading = el("div");
    var title = el("h2", "tandem-title", TITLE); title.id = "tandem-chat-title";
    heading.appendChild(title);
    heading.appendChild(el("p", "tandem-subtitle", "Our AI assistant answers in seconds; our team is here too."));
    var close = ui.close = el("button", "tandem-close", "×");
    close.type = "button"; close.setAttribute("aria-label", "Close chat");
    header.appendChild(heading); header.appendChild(close);
    ui.handoff = el("p", "tandem-handoff"); ui.handoff.setAttribute("role", "status"); ui.handoff.hidden = true;
    var log = ui.log = el("div", "tandem-log");
    log.setAttribute("role", "log"); log.setAttribute("aria-live", "polite");
    log.setAttribute("aria-label", "Conversation"); log.setAttribute("aria-busy", "true"); log.tabIndex = 0;
    ui.greeting = el("p", "tandem-empty", "Hi! Ask us about an order, sizing, returns or anything else.");
    log.appendChild(ui.greeting);
    var typing = ui.typing = el("div", "tandem-typing"); typing.hidden = true;
    typing.setAttribute("role", "status");
    for (var i = 0; i < 3; i++) typing.appendChild(el("span", "tandem-dot"));
    typing.appendChild(el("span", "tandem-sr", "The assistant is typing"));
    ui.status = el("p", "tandem-status"); ui.status.setAttribute("role", "status"); ui.status.hidden = true;
    var form = ui.form = el("form", "tandem-form");
    var label = el("label", "tandem-sr", "Message"); label.htmlFor = "tandem-chat-input";
    var input = ui.input = el("textarea", "tandem-input");
    input.id = "tandem-chat-input"; input.rows = 1; input.maxLength = 4000;
    input.placeholder = "Type your message…"; input.setAttribute("aria-label", "Message");
    var sendBtn = el("button", "tandem-send", "Send"); sendBtn.type = "submit";
    sendBtn.setAttribute("aria-label", "Send message");
    form.appendChild(label); form.appendChild(input); form.appendChild(sendBtn);
    [header, ui.handoff, log, typing, ui.status, form].forEach(function (n) { panel.appendChild(n); });
    var launcher = ui.launcher = el("button", "tandem-launcher");
    launcher.type = "button"; launcher.setAttribute("aria-controls", panel.id);
    launcher.setAttribute("aria-expanded", "false"); launcher.setAttribute("aria-label", "Open chat");
    launcher.appendChild(icon());
    ui.badge = el("span", "tandem-badge"); ui.badge.hidden = true; ui.badge.setAttribute("aria-hidden", "true");
    launcher.appendChild(ui.badge);
    root.appendChild(panel); root.appendChild(launcher);
    document.body.appendChild(root);
    wire();
  }
  function wire() {
    ui.launcher.addEventListener("click", function () { ui.panel.hidden ? open() : close(); });
    ui.close.addEventListener("click", function () { close(); });
    ui.panel.addEventListener("keydown", function (e) { if (e.key === "Escape") { e.preventDefault(); close(); } });
    ui.form.addEventListener("submit", function (e) { e.preventDefault(); submit(); });
    // Enter sends; Shift+Enter is a new line; Enter while composing (IME) is left alone.
    ui.input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); submit(); }
    });
    document.addEventListener("visibilitychange", function () { if (!document.hidden) schedulePoll(0); });
  }
  function submit() {
    var text = ui.input.value;
    if (!text.trim()) return;
    ui.input.value = "";
    send(text);
    updateTyping();
  }
  function open() {
    ui.panel.hidden = false;
    ui.launcher.setAttribute("aria-expanded", "true");
    state.unread = 0; updateBadge();
    ui.launcher.setAttribute("aria-label", "Close chat");
    save("sessionStorage", OPEN_KEY, true);
    ui.input.focus();
    ui.log.scrollTop = ui.log.scrollHeight;
    if (!state.session) connect();
  }
  function close() {
    if (ui.panel.hidden) return;
    ui.panel.hidden = true;
    ui.launcher.setAttribute("aria-expanded", "false");
    updateBadge();
    save("sessionStorage", OPEN_KEY, null);
    ui.launcher.focus();
  }
  // Opens a session (retrying while offline) and starts polling from no cursor: the full history.
  function connect(attempt) {
    attempt = attempt || 0;
    ensureSession().then(function () { setStatus(""); schedulePoll(0); }, function () {
      setStatus("Can't reach the chat right now. Retrying…");
      setTimeout(function () { connect(attempt + 1); }, SEND_RETRY_DELAYS[Math.min(attempt, 4)]);
    });
  }

  function start() {
    build();
    state.session = restoreSession();
    if (state.session) schedulePoll(0); else ui.log.setAttribute("aria-busy", "false");
    if (load("sessionStorage", OPEN_KEY)) open();
  }
  window.TandemChat = { open: function () { open(); }, close: function () { close(); } };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
