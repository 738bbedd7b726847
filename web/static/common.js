// Code shared by the bidder room and the observer page: reading the link, exact money, the server clock,
// the WebSocket connection with reconnects, and the parts of the page both show (header, practice banner,
// phase, time left, rules). Protocol: docs/protocol.md (version 1).

export const PROTOCOL_VERSION = 1;

// Close codes 4400–4499 follow an `error` about the invitation or the auction: retrying cannot help.
export const FATAL_ERROR_CODES = new Set(["invalid_invitation", "invitation_other_auction", "unknown_auction", "invitation_used", "invitation_expired", "invalid_session", "session_other_auction", "session_revoked", "session_expired"]);
const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 8000;
const PING_EVERY_MS = 15000;
// With a ping every 15 s the server answers at least that often; this long a silence means a dead line.
const SILENCE_LIMIT_MS = PING_EVERY_MS + 10000;
const CLOCK_SAMPLES = 5;

// ------------------------------------------------------------------------------------------------ the link

/**
 * The auction id from the path (`/room/{id}` or `/observe/{id}`) and the token from the fragment
 * (`#token=…`). The fragment is parsed by hand so a `+` in a token is not turned into a space.
 */
export function readLink(prefix) {
  const path = window.location.pathname;
  let auctionId = "";
  if (path.startsWith(prefix)) {
    auctionId = decodeURIComponent(path.slice(prefix.length).split("/")[0] || "");
  }
  let token = "";
  for (const part of window.location.hash.replace(/^#/, "").split("&")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq) === "token") {
      try {
        token = decodeURIComponent(part.slice(eq + 1));
      } catch {
        token = part.slice(eq + 1);
      }
    }
  }
  return { auctionId, token: token.trim() };
}

export function socketUrl(role, auctionId, session) {
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${window.location.host}/ws/${role}/${encodeURIComponent(auctionId)}?session=${encodeURIComponent(session)}`;
}

function sessionKey(role, auctionId) {
  return `dv-session:${role}:${auctionId}`;
}

/** Forget a session the server no longer accepts, so the next visit asks for a fresh link. */
export function forgetSession(role, auctionId) {
  try {
    window.localStorage.removeItem(sessionKey(role, auctionId));
  } catch {
    /* storage unavailable: nothing to forget */
  }
}

/**
 * The invitation link's secret is one-time: trade it for a session (POST /api/session), keep the session in
 * this browser, and take the secret out of the address bar. Reopening the room later uses the kept session.
 * Resolves to {session} or {error: code, message}.
 */
export async function openSession(role, link) {
  const key = sessionKey(role, link.auctionId);
  let kept = null;
  try {
    kept = window.localStorage.getItem(key);
  } catch {
    kept = null;
  }
  if (!link.token) return kept ? { session: kept } : { error: "no_token" };
  let answer;
  try {
    const response = await fetch("/api/session", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ auction_id: link.auctionId, token: link.token, role }),
    });
    answer = await response.json();
  } catch {
    return kept ? { session: kept } : { error: "session_unreachable" };
  }
  if (answer && answer.ok) {
    try {
      window.localStorage.setItem(key, answer.session);
    } catch {
      /* private mode: the session lives only as long as this page */
    }
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
    return { session: answer.session };
  }
  // A link used before in this browser: carry on with the session it opened then.
  if (answer && answer.code === "invitation_used" && kept) return { session: kept };
  return { error: (answer && answer.code) || "session_unreachable", message: answer && answer.message };
}

// ------------------------------------------------------------------------------------------------ money

/**
 * Parse a price typed by a person or sent by the server into integer units (euros × 10^decimals), exactly.
 * Accepts "2,35", "2.35", " 2,350 " (trailing zeros are not extra decimals) and a leading "€".
 * Returns {ok: true, units} or {ok: false, reason} with reason "empty" | "format" | "not_positive" | "decimals".
 */
export function parseAmount(text, decimals) {
  const raw = String(text ?? "").replace(/[\s\u00a0]/g, "").replace(/^€/, "");
  if (raw === "") return { ok: false, reason: "empty" };
  if (/^-\d*(?:[.,]\d*)?$/.test(raw) && /\d/.test(raw)) return { ok: false, reason: "not_positive" };
  const match = /^(\d*)(?:[.,](\d*))?$/.exec(raw);
  if (!match || !/\d/.test(raw)) return { ok: false, reason: "format" };
  const whole = match[1] || "0";
  const frac = (match[2] || "").replace(/0+$/, "");
  if (frac.length > decimals) return { ok: false, reason: "decimals" };
  const units = BigInt(whole + frac.padEnd(decimals, "0"));
  if (units <= 0n) return { ok: false, reason: "not_positive" };
  return { ok: true, units };
}

/** Units from a server decimal string ("4920000.00"); null when absent or unreadable. */
export function serverAmount(text, decimals) {
  if (text === null || text === undefined) return null;
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(text).trim());
  if (!match) return null;
  const frac = (match[3] || "").padEnd(decimals, "0").slice(0, decimals);
  const units = BigInt(match[2] + frac);
  return match[1] ? -units : units;
}

/** Units back to the protocol's decimal string: (235n, 2) → "2.35". */
export function unitsToWire(units, decimals) {
  const digits = units.toString().padStart(decimals + 1, "0");
  if (decimals === 0) return digits;
  return `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

/** Floor of 100 × part / whole with two decimals, as a display string "0.61" (never overstates). */
export function percentText(part, whole) {
  if (whole <= 0n) return "0.00";
  const basis = (part * 10000n) / whole;
  const negative = basis < 0n;
  const digits = (negative ? -basis : basis).toString().padStart(3, "0");
  return `${negative ? "-" : ""}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** A UUID for each bid; crypto.randomUUID needs a secure context, getRandomValues does not. */
export function newBidId() {
  if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
  const bytes = window.crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// ------------------------------------------------------------------------------------------------ the clock

/**
 * The server's clock as seen from here. Each message's `server_time` minus the local time at arrival is an
 * estimate of the offset that is short by the message's travel time; the largest of the last few estimates
 * is therefore the closest. The few-sample window lets a changed local clock take effect quickly.
 */
export class ServerClock {
  constructor() {
    this.samples = [];
    this.offset = 0;
  }

  note(serverTime) {
    if (typeof serverTime !== "number" || !Number.isFinite(serverTime)) return;
    this.samples.push(serverTime - Date.now());
    if (this.samples.length > CLOCK_SAMPLES) this.samples.shift();
    this.offset = Math.max(...this.samples);
  }

  now() {
    return Date.now() + this.offset;
  }
}

// ------------------------------------------------------------------------------------------------ the connection

/**
 * One WebSocket that comes back after it drops: wait 0.5 s, then 1, 2, 4, 8, 8… seconds; back to 0.5 s once
 * the server has spoken. A close with a 44xx code (after an `error` about the invitation) is final.
 *
 * status: "connecting" | "open" | "closed" (waiting to retry; `retryAt` says when) | "failed" (final).
 */
export class Connection {
  constructor(url, { onMessage, onStatus }) {
    this.url = url;
    this.onMessage = onMessage;
    this.onStatus = onStatus;
    this.socket = null;
    this.status = "connecting";
    this.retryDelay = RETRY_FIRST_MS;
    this.retryAt = null;
    this.retryTimer = null;
    this.pingTimer = null;
    this.lastHeard = 0;
    this.fatalCode = null;
    this.closeCode = null;
    this.pongSeen = false;
    window.addEventListener("online", () => {
      if (this.status === "closed") this.connectNow();
    });
  }

  start() {
    this.connectNow();
  }

  setStatus(status) {
    this.status = status;
    this.onStatus(status);
  }

  connectNow() {
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.retryAt = null;
    this.setStatus("connecting");
    let socket;
    try {
      socket = new WebSocket(this.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    this.pongSeen = false;
    socket.onopen = () => {
      this.lastHeard = Date.now();
      this.setStatus("open");
      this.pingTimer = setInterval(() => this.keepAlive(), PING_EVERY_MS);
    };
    socket.onmessage = (event) => {
      this.lastHeard = Date.now();
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return; // not JSON: nothing this page can act on
      }
      if (!message || typeof message !== "object") return;
      if (message.type === "welcome") this.retryDelay = RETRY_FIRST_MS;
      if (message.type === "pong") this.pongSeen = true;
      if (message.type === "error" && FATAL_ERROR_CODES.has(message.code)) this.fatalCode = message.code;
      this.onMessage(message);
    };
    socket.onclose = (event) => this.closed(socket, event.code);
    socket.onerror = () => {
      // always followed by a close event, which decides what happens next
    };
  }

  keepAlive() {
    // only a server that has answered a ping is expected to answer the next one
    if (this.pongSeen && Date.now() - this.lastHeard > SILENCE_LIMIT_MS) {
      this.abandon();
      return;
    }
    this.send({ type: "ping" });
  }

  /** Give up on a socket that has gone silent without waiting for a close handshake that may never come. */
  abandon() {
    const socket = this.socket;
    if (!socket) return;
    socket.onclose = socket.onmessage = socket.onopen = socket.onerror = null;
    try {
      socket.close();
    } catch {
      // already closing
    }
    this.closed(socket, 1006);
  }

  closed(socket, code) {
    if (socket !== this.socket) return;
    this.socket = null;
    clearInterval(this.pingTimer);
    this.pingTimer = null;
    this.closeCode = code;
    if ((code >= 4400 && code <= 4499) || this.fatalCode) {
      this.setStatus("failed");
      return;
    }
    this.scheduleRetry();
  }

  scheduleRetry() {
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MAX_MS);
    this.retryAt = Date.now() + delay;
    this.retryTimer = setTimeout(() => this.connectNow(), delay);
    this.setStatus("closed");
  }

  /** Send one message; false when there is no open connection (nothing is queued). */
  send(message) {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  isOpen() {
    return this.status === "open" && !!this.socket && this.socket.readyState === WebSocket.OPEN;
  }
}

// ------------------------------------------------------------------------------------------------ the page

export function setText(el, text) {
  if (el && el.textContent !== text) el.textContent = text;
}

export function setAttr(el, name, value) {
  if (el && el.getAttribute(name) !== value) el.setAttribute(name, value);
}

/** The connection line: "verbonden", "verbinden…", "verbinding verbroken — opnieuw verbinden over 2 s…". */
export function renderConnection(el, i18n, connection, failed) {
  let state = connection ? connection.status : "failed";
  if (failed) state = "failed";
  let text;
  if (state === "open") text = i18n.t("conn_open");
  else if (state === "connecting") text = i18n.t("conn_connecting");
  else if (state === "closed") {
    const left = Math.max(0, (connection.retryAt ?? Date.now()) - Date.now());
    const seconds = left < 1000 ? i18n.decimalText((Math.max(left, 100) / 1000).toFixed(1)) : String(Math.ceil(left / 1000));
    text = i18n.t("conn_retry", { s: i18n.t("conn_seconds", { n: seconds }) });
  } else text = i18n.t("conn_failed");
  setAttr(el, "data-state", state);
  setText(el, text);
}

export function phaseText(i18n, phase) {
  if (!phase) return i18n.t("phase_none");
  const key = `phase_${phase}`;
  const text = i18n.t(key);
  return text === key ? i18n.t("phase_unknown", { phase }) : text;
}

/**
 * What the clock shows for a state message at server time `now`:
 * {text, sub, remaining (ms or null), urgent, expired}.
 */
export function clockView(i18n, auction, state, now) {
  const view = { text: "", sub: "", remaining: null, urgent: false, expired: false };
  if (!state) {
    view.text = i18n.t("none");
    return view;
  }
  switch (state.phase) {
    case "scheduled": {
      const opensAt = state.opens_at ?? auction?.opens_at ?? null;
      if (typeof opensAt !== "number" || opensAt <= 0) {
        view.text = i18n.t("time_not_scheduled");
        break;
      }
      view.remaining = opensAt - now;
      view.text = view.remaining > 0 ? i18n.t("time_opens_in", { t: i18n.countdown(view.remaining) }) : i18n.t("time_opening");
      view.sub = i18n.t("opens_at", { when: i18n.dateTime(opensAt) });
      break;
    }
    case "open": {
      if (typeof state.closes_at !== "number") {
        view.text = i18n.t("phase_open");
        break;
      }
      view.remaining = state.closes_at - now;
      view.expired = view.remaining <= 0;
      const format = formatOf(auction);
      // The deadline of a level or a turn is not the close: what follows it is the next level or turn.
      const last = isLastStep(auction, state);
      let closing = "time_closing";
      if (byLevels(auction) && !last) closing = "time_next_level";
      else if (format === "rounds" && !last) closing = "time_next_turn";
      view.text = view.expired ? i18n.t(closing) : i18n.countdown(view.remaining);
      const time = i18n.time(state.closes_at);
      if (byLevels(auction)) {
        view.urgent = view.remaining <= Math.min(10000, ((auction?.rules?.level_interval_s ?? 30) * 1000) / 3);
        view.sub = i18n.t("closes_level_at", { time });
      } else if (format === "rounds") {
        const stageMs = (state.round?.stage === "turns" ? auction?.rules?.turn_s : auction?.rules?.initial_offers_s) ?? 120;
        view.urgent = view.remaining <= Math.min(30000, (stageMs * 1000) / 3);
        view.sub = i18n.t(state.round?.stage === "turns" ? "closes_turn_at" : "closes_initial_at", { time });
      } else {
        const windowMs = (auction?.rules?.extension_window_s ?? 120) * 1000;
        view.urgent = view.remaining <= Math.max(windowMs, 60000);
        view.sub = i18n.t("closes_at", { time });
      }
      break;
    }
    case "paused":
      // The clock stands still while paused; show the time that will be left when bidding resumes.
      view.text = typeof state.remaining_ms === "number"
        ? `${i18n.t("time_paused")} · ${i18n.countdown(state.remaining_ms)}`
        : i18n.t("time_paused");
      view.sub = i18n.t("paused_note");
      break;
    case "closed":
    case "intended":
    case "definitive":
    case "signed":
    case "no_award":
      view.text = i18n.t("time_closed");
      break;
    case "cancelled":
      view.text = i18n.t("time_cancelled");
      break;
    default:
      view.text = phaseText(i18n, state.phase);
  }
  return view;
}

/** Whether the deadline standing now is the auction's close (the last level or the last turn of the last round). */
function isLastStep(auction, state) {
  const format = formatOf(auction);
  if (byLevels(auction)) {
    const level = state.level;
    // a Japanese auction may close after any level (one bidder left); which one is not known in advance
    return format === "dutch" && !!level && level.number === level.of;
  }
  if (format === "rounds") {
    const round = state.round;
    if (!round || round.stage !== "turns" || round.round !== round.of) return false;
    // the bidder's state numbers the turn; the observer's names the order and who is on turn
    const positions = round.positions ?? (Array.isArray(round.order) ? round.order.length : null);
    const position = round.position ?? (Array.isArray(round.order) ? round.order.indexOf(round.on_turn) + 1 : null);
    return positions !== null && position === positions;
  }
  return true;
}

export function renderClock(i18n, auction, state, clock) {
  const view = clockView(i18n, auction, state, clock.now());
  const el = document.getElementById("time-left");
  setText(el, view.text);
  setAttr(el, "data-remaining-ms", view.remaining === null ? "" : String(Math.max(0, Math.round(view.remaining))));
  el.classList.toggle("urgent", !!view.urgent && state?.phase === "open");
  setText(document.getElementById("time-sub"), view.sub);
  const mini = document.getElementById("topbar-clock");
  if (mini) {
    setText(mini, state ? `${phaseText(i18n, state.phase)} · ${view.text}` : "");
    mini.classList.toggle("urgent", !!view.urgent && state?.phase === "open");
  }
  return view;
}

export function renderPhase(i18n, state) {
  const el = document.getElementById("phase");
  const phase = state?.phase ?? "";
  setAttr(el, "data-phase", phase);
  setText(el, phaseText(i18n, phase));
}

/** The practice banner exists only in a practice auction, so tests and people can rely on its absence. */
export function renderPractice(i18n, practice) {
  document.body.classList.toggle("practice", practice);
  let banner = document.getElementById("practice-banner");
  if (!practice) {
    if (banner) banner.remove();
    return;
  }
  if (!banner) {
    banner = document.createElement("div");
    banner.id = "practice-banner";
    banner.className = "practice-banner";
    banner.setAttribute("role", "note");
    (document.getElementById("sticky-head") ?? document.body).prepend(banner);
  }
  setText(banner, i18n.t("practice_banner"));
}

export function isPractice(auction, state) {
  return !!(auction?.practice || state?.practice);
}

export function renderTitle(i18n, auction, state, practice) {
  const parts = [];
  if (auction?.lot_name) parts.push(auction.lot_name);
  if (auction?.tender_title) parts.push(auction.tender_title);
  let title = parts.length ? parts.join(" — ") : i18n.t("title_default");
  if (practice) title += i18n.t("title_practice_suffix");
  if (document.title !== title) document.title = title;
}

export function renderHeader(i18n, auction) {
  setText(document.getElementById("tender-title"), auction?.tender_title ?? "");
  const lot = auction ? `${i18n.t("lot_label")} ${auction.lot_id ?? ""}: ${auction.lot_name ?? ""}` : i18n.t("loading");
  setText(document.getElementById("lot-name"), lot);
}

/** The auction's format ("english", "japanese", "dutch", "rounds"); older servers send none: English. */
export function formatOf(auction) {
  return auction?.rules?.format ?? "english";
}

/** Japanese and Dutch auctions: bidders accept announced levels instead of typing prices. */
export function byLevels(auction) {
  const format = formatOf(auction);
  return format === "japanese" || format === "dutch";
}

/**
 * The rules in plain words; `audience` is "bidder" or "observer" (who "you" is differs). `state` is the
 * bidder's latest state: a quality-weighted auction names the bidder's own score and factor or bonus, which
 * only the bidder's own state carries. The amount of a reserve is never known here, only that one applies.
 */
export function rulesList(i18n, auction, audience, state = null) {
  const rules = auction.rules || {};
  const d = auction.price_decimals ?? 2;
  const obs = audience === "observer";
  const format = formatOf(auction);
  const levels = byLevels(auction);
  const meat = rules.meat ?? null;
  const figure = i18n.t(meat ? "figure_ranked" : "figure_total");
  const items = [];
  if (isPractice(auction, null)) items.push(i18n.t("rule_practice"));

  const interval = i18n.duration(rules.level_interval_s ?? 0);
  if (format === "japanese") items.push(i18n.t("rule_format_japanese", { interval }));
  else if (format === "dutch") items.push(i18n.t("rule_format_dutch", { interval }));
  else if (format === "rounds") {
    items.push(
      i18n.t("rule_format_rounds", {
        initial: i18n.duration(rules.initial_offers_s ?? 0),
        rounds: rules.rounds ?? 1,
        turn: i18n.duration(rules.turn_s ?? 0),
      }),
    );
  } else items.push(i18n.t("rule_format_english"));

  if (levels) items.push(i18n.t(obs ? "obs_rule_levels_prices" : "rule_levels_prices"));
  else if (meat) items.push(i18n.t("rule_weighted_meat"));
  else items.push(i18n.t(obs ? "obs_rule_weighted" : "rule_weighted"));

  const ceilingTotal = serverAmount(rules.ceiling_total, d);
  if (ceilingTotal !== null) items.push(i18n.t("rule_ceiling", { ceiling_total: i18n.money(ceilingTotal, d) }));

  if (!levels) {
    items.push(i18n.t("rule_decimals", { d }));
    const best = rules.decrement_basis === "best";
    if (rules.decrement_percent !== null && rules.decrement_percent !== undefined) {
      const pct = i18n.decimalText(rules.decrement_percent);
      const key = best ? "rule_decrement_percent_best" : obs ? "obs_rule_decrement_percent" : "rule_decrement_percent";
      items.push(i18n.t(key, { pct }));
    } else if (rules.decrement_amount !== null && rules.decrement_amount !== undefined) {
      const amount = i18n.money(serverAmount(rules.decrement_amount, d) ?? 0n, d);
      const key = best ? "rule_decrement_amount_best" : obs ? "obs_rule_decrement_amount" : "rule_decrement_amount";
      items.push(i18n.t(key, { amount }));
    }
    if (best && meat) items.push(i18n.t("rule_decrement_best_meat"));
    items.push(i18n.t(rules.bid_lines === "changed" ? "rule_bid_lines_changed" : "rule_bid_lines_all"));
  }

  if (rules.tie_rule === "earliest_acceptance") items.push(i18n.t("rule_tie_earliest_acceptance"));
  else if (rules.tie_rule === "refused") items.push(i18n.t("rule_tie_refused", { figure }));
  else if (format !== "dutch") items.push(i18n.t("rule_tie_earlier", { figure }));

  if (rules.far_below_percent !== null && rules.far_below_percent !== undefined && !levels) {
    items.push(i18n.t("rule_far_below", { pct: i18n.decimalText(rules.far_below_percent) }));
  }
  if (rules.reserve_applies) items.push(i18n.t(obs ? "obs_rule_reserve" : "rule_reserve"));

  if (format === "english") {
    if (rules.closing === "quiet") {
      items.push(
        i18n.t("rule_closing_quiet", {
          quiet: i18n.duration(rules.quiet_period_s ?? 0),
          duration: i18n.duration(auction.duration_s ?? 0),
        }),
      );
    } else if (rules.extension_window_s > 0 && rules.extension_s > 0) {
      const window = i18n.duration(rules.extension_window_s);
      const trigger = i18n.t(`rule_ext_trigger_${rules.extension_trigger ?? "lead"}`, { window, k: rules.extension_top_k ?? 1 });
      const from = i18n.t(rules.extension_from === "close" ? "rule_ext_from_close" : "rule_ext_from_bid", {
        ext: i18n.duration(rules.extension_s),
      });
      let text = `${trigger} ${from}`;
      if (rules.max_extensions !== null && rules.max_extensions !== undefined) {
        text += ` ${i18n.t("rule_extension_cap", { n: rules.max_extensions })}`;
      }
      items.push(text);
    } else {
      items.push(i18n.t("rule_no_extension"));
    }
  }

  if (rules.sealed) items.push(i18n.t(obs ? "obs_rule_sealed" : "rule_sealed"));
  else if (levels) {
    if (obs) items.push(i18n.t("obs_rule_visibility_levels"));
    else if (format === "dutch") items.push(i18n.t("rule_visibility_dutch"));
    else items.push(i18n.t(rules.show_bidder_count ? "rule_visibility_japanese_count" : "rule_visibility_japanese_none"));
  } else {
    const which = rules.show_bidder_count ? (rules.show_best_total ? "both" : "count") : rules.show_best_total ? "best" : "own";
    items.push(i18n.t(`${obs ? "obs_" : ""}rule_visibility_${which}`));
    if (rules.show_ladder) items.push(i18n.t(obs ? "obs_rule_visibility_ladder" : "rule_visibility_ladder"));
  }

  if (meat) {
    if (meat.formula === "bonus") {
      const bonus = serverAmount(meat.bonus_per_point, d);
      items.push(i18n.t("rule_meat_bonus", { bonus: bonus === null ? "?" : i18n.money(bonus, d) }));
    } else {
      items.push(i18n.t("rule_meat_factor", { max: i18n.decimalText(meat.max_discount_percent ?? "?") }));
    }
    const you = state?.you;
    if (!obs && you && you.quality_score !== undefined && you.quality_score !== null && you.weight !== null && you.weight !== undefined) {
      const score = i18n.decimalText(you.quality_score);
      if (meat.formula === "bonus") {
        const bonus = serverAmount(you.weight, d);
        items.push(i18n.t("rule_meat_own_bonus", { score, weight: bonus === null ? you.weight : i18n.money(bonus, d) }));
      } else {
        items.push(i18n.t("rule_meat_own_factor", { score, weight: i18n.decimalText(you.weight) }));
      }
    }
  }

  items.push(i18n.t(obs ? "obs_rule_aliases" : "rule_anonymous"));
  if (!obs) items.push(i18n.t("rule_receipt"));
  if (typeof auction.opens_at === "number" && auction.opens_at > 0) {
    if (format === "english" && rules.closing !== "quiet" && auction.duration_s) {
      items.push(i18n.t("rule_schedule", { when: i18n.dateTime(auction.opens_at), duration: i18n.duration(auction.duration_s) }));
    } else {
      items.push(i18n.t("rule_schedule_opening", { when: i18n.dateTime(auction.opens_at) }));
    }
  }
  items.push(i18n.t("rule_clock"));
  return items;
}

export function renderRules(i18n, auction, audience, state = null) {
  const list = document.getElementById("rules-list");
  list.replaceChildren(
    ...rulesList(i18n, auction, audience, state).map((text) => {
      const li = document.createElement("li");
      li.textContent = text;
      return li;
    }),
  );
  renderLevelsTable(i18n, auction);
}

/** Japanese and Dutch: the announced levels (number, percent of the ceiling, total) under the rules. */
export function renderLevelsTable(i18n, auction) {
  const box = document.getElementById("levels-rules");
  if (!box) return;
  const levels = Array.isArray(auction?.rules?.levels) && byLevels(auction) ? auction.rules.levels : [];
  box.hidden = levels.length === 0;
  if (!levels.length) {
    box.replaceChildren();
    return;
  }
  const d = auction.price_decimals ?? 2;
  const caption = document.createElement("p");
  caption.className = "levels-caption";
  caption.textContent = i18n.t("rule_levels_table", { interval: i18n.duration(auction.rules.level_interval_s ?? 0) });
  const table = document.createElement("table");
  table.className = "levels-table";
  const head = document.createElement("tr");
  for (const [key, cls] of [["levels_col_number", "num"], ["levels_col_percent", "num"], ["levels_col_total", "num"]]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.className = cls;
    th.textContent = i18n.t(key);
    head.append(th);
  }
  const thead = document.createElement("thead");
  thead.append(head);
  const tbody = document.createElement("tbody");
  for (const level of levels) {
    const tr = document.createElement("tr");
    tr.dataset.level = String(level.level);
    const total = serverAmount(level.total, d);
    for (const text of [String(level.number), `${i18n.decimalText(level.percent)} %`, total === null ? "—" : i18n.money(total, d)]) {
      const td = document.createElement("td");
      td.className = "num";
      td.textContent = text;
      tr.append(td);
    }
    tbody.append(tr);
  }
  table.append(thead, tbody);
  box.replaceChildren(caption, table);
}

/** Show a final error in place of the page body: no reconnect will follow. */
export function renderFatal(i18n, key, params = {}) {
  const box = document.getElementById("fatal");
  box.hidden = false;
  const title = document.createElement("h2");
  title.textContent = i18n.t("fatal_title");
  const text = document.createElement("p");
  text.className = "fatal-text";
  text.textContent = i18n.t(key, params);
  const help = document.createElement("p");
  help.textContent = i18n.t("fatal_help");
  box.replaceChildren(title, text, help);
  box.dataset.code = params.code ?? key;
}

export function wireLanguageToggle(i18n) {
  const button = document.getElementById("lang-toggle");
  const render = () => {
    setText(button, i18n.t("lang_toggle"));
    button.setAttribute("lang", i18n.other());
    button.setAttribute("aria-label", i18n.t("lang_toggle_label"));
    button.dataset.lang = i18n.lang;
  };
  button.addEventListener("click", () => i18n.setLanguage(i18n.other()));
  i18n.onChange(render);
  render();
}
