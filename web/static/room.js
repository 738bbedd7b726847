// The bidder room: one supplier's view of one auction (docs/protocol.md, "Server → bidder").
//
// The page keeps no truth of its own: every `state` from the server replaces the last one, and after a
// reconnect the server sends everything again. What the page adds is the form (checked here before sending,
// so a typo is caught at the field), the pending bid (at most one), and the receipts of this session.

import { I18n } from "./i18n.js";
import {
  Connection,
  PROTOCOL_VERSION,
  ServerClock,
  isPractice,
  newBidId,
  parseAmount,
  percentText,
  FATAL_ERROR_CODES,
  forgetSession,
  openSession,
  readLink,
  renderClock,
  renderConnection,
  renderFatal,
  renderHeader,
  renderPhase,
  renderPractice,
  renderRules,
  renderTitle,
  serverAmount,
  setAttr,
  setText,
  socketUrl,
  unitsToWire,
  wireLanguageToggle,
  phaseText,
} from "./common.js";

const i18n = new I18n();
const clock = new ServerClock();
const link = readLink("/room/");
const $ = (id) => document.getElementById(id);

// A bid without an answer older than this is not sent again by itself (unless the state shows it was
// accepted, when resending only fetches its receipt): the bidder should look at the market first.
const RESEND_WITHIN_MS = 60000;
// After `not_recorded` (the server could not write the bid) the page offers it again once, same bid_id.
const NOT_RECORDED_RETRY_MS = 1000;
// Soft warnings (they never block a bid): a much lower total or a price far below the ceiling is often a typo.
const BIG_DROP_PERCENT = 20n;
const LOW_PRICE_PERCENT = 20n;
const RECEIPTS_KEY = `dieetveiling.receipts.${link.auctionId}`;

const model = {
  auction: null,
  state: null,
  lines: [], // [{id, description, unit, volume (BigInt), ceiling (units), input, ...cells}]
  connection: null,
  pending: null, // {bid_id, prices (wire strings), total (units), sentAt, interrupted, resent}
  message: null, // {kind, code, parts: () => [{text, title?}]}
  fieldErrors: new Map(), // line id -> () => string
  totalError: null, // () => string
  receipts: loadReceipts(),
  fatal: null, // {key, params}
  prefilledFor: null, // bid_id whose prices are in the inputs
  dirty: false, // the bidder typed since the last prefill
  freshConnection: false, // the next state is the first of a new connection
  seenSeq: -1,
  lastPhase: null,
};

function decimals() {
  return model.auction?.price_decimals ?? 2;
}

function money(units) {
  return units === null || units === undefined ? i18n.t("none") : i18n.money(units, decimals());
}

function quoted(text) {
  return `“${text}”`;
}

function lineName(id) {
  const line = model.lines.find((l) => l.id === id);
  return quoted(line ? line.description : id);
}

// ------------------------------------------------------------------------------------------------ receipts

function loadReceipts() {
  try {
    const saved = JSON.parse(window.sessionStorage.getItem(RECEIPTS_KEY) || "[]");
    return Array.isArray(saved) ? saved : [];
  } catch {
    return [];
  }
}

function saveReceipts() {
  try {
    window.sessionStorage.setItem(RECEIPTS_KEY, JSON.stringify(model.receipts));
  } catch {
    // the list still lives for this page
  }
}

function addReceipt(receipt) {
  if (model.receipts.some((r) => r.bid_id === receipt.bid_id)) return;
  model.receipts.push(receipt);
  saveReceipts();
  renderReceipts();
}

function renderReceipts() {
  const list = $("receipts");
  $("receipts-empty").hidden = model.receipts.length > 0;
  const items = [...model.receipts].reverse().map((r) => {
    const li = document.createElement("li");
    li.dataset.bidId = r.bid_id;
    if (r.seq !== null && r.seq !== undefined) li.dataset.seq = String(r.seq);
    if (r.hash) li.dataset.hash = r.hash;
    const when = document.createElement("span");
    when.className = "receipt-main";
    const total = serverAmount(r.total, r.decimals ?? decimals());
    when.textContent = i18n.t("receipt_item", { time: i18n.time(r.at), total: money(total) });
    const ref = document.createElement("span");
    ref.className = "receipt-ref";
    if (r.hash) {
      ref.textContent = i18n.t("receipt_ref", { seq: r.seq ?? "?", hash: r.hash.slice(0, 12) });
      ref.title = i18n.t("receipt_hash_title", { hash: r.hash });
    } else {
      ref.textContent = i18n.t("receipt_ref_unknown");
    }
    li.append(when, ref);
    return li;
  });
  list.replaceChildren(...items);
}

// ------------------------------------------------------------------------------------------------ messages

/** The feedback line. `parts` is called at render time so a language switch re-translates it. */
function setMessage(kind, parts, code = null) {
  model.message = { kind, parts, code };
  renderMessage();
  const box = $("message");
  if (box.getBoundingClientRect().bottom > window.innerHeight) box.scrollIntoView({ block: "nearest" });
}

function renderMessage() {
  const box = $("message");
  const m = model.message;
  setAttr(box, "data-kind", m ? m.kind : "info");
  if (m && m.code) setAttr(box, "data-code", m.code);
  else box.removeAttribute("data-code");
  if (!m) {
    box.replaceChildren();
    return;
  }
  box.replaceChildren(
    ...m.parts().map((part, index) => {
      const p = document.createElement("p");
      p.className = index === 0 ? "message-main" : "message-detail";
      p.textContent = part.text;
      if (part.title) p.title = part.title;
      return p;
    }),
  );
}

function announce(text) {
  const region = $("announce");
  region.textContent = "";
  window.setTimeout(() => {
    region.textContent = text;
  }, 50);
}

// ------------------------------------------------------------------------------------------------ the lines

function buildLines() {
  const auction = model.auction;
  const d = decimals();
  const ids = (auction.lines || []).map((l) => l.id).join("\n");
  if (ids === model.lines.map((l) => l.id).join("\n") && model.lines.length) {
    for (const [i, raw] of auction.lines.entries()) Object.assign(model.lines[i], lineData(raw, d));
    renderLines();
    return;
  }
  const body = $("lines-body");
  model.lines = (auction.lines || []).map((raw, index) => {
    const line = lineData(raw, d);
    const row = document.createElement("tr");
    row.dataset.line = raw.id;

    const product = document.createElement("th");
    product.scope = "row";
    product.className = "product";
    const desc = document.createElement("span");
    desc.className = "desc";
    const unit = document.createElement("span");
    unit.className = "unit";
    product.append(desc, unit);

    const volume = cell("num volume");
    const ceiling = cell("num ceiling");
    const last = cell("num last-price");

    const inputCell = cell("input-col");
    const label = document.createElement("label");
    label.className = "visually-hidden";
    label.htmlFor = `price-input-${index}`;
    const wrap = document.createElement("div");
    wrap.className = "input-wrap";
    const prefix = document.createElement("span");
    prefix.className = "prefix";
    prefix.textContent = "€";
    prefix.setAttribute("aria-hidden", "true");
    const input = document.createElement("input");
    input.type = "text";
    input.id = `price-input-${index}`;
    input.name = `price-${raw.id}`;
    input.dataset.line = raw.id;
    input.inputMode = "decimal";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.setAttribute("aria-describedby", `price-error-${index} price-warning-${index}`);
    input.addEventListener("input", () => onInput(line));
    wrap.append(prefix, input);
    const error = document.createElement("span");
    error.className = "field-error";
    error.id = `price-error-${index}`;
    const warning = document.createElement("span");
    warning.className = "field-warning";
    warning.id = `price-warning-${index}`;
    inputCell.append(label, wrap, error, warning);

    const lineTotal = cell("num line-total");
    row.append(product, volume, ceiling, last, inputCell, lineTotal);
    Object.assign(line, { row, desc, unit, volumeCell: volume, ceilingCell: ceiling, last, label, input, error, warning, lineTotal });
    return line;
  });
  body.replaceChildren(...model.lines.map((l) => l.row));
  model.prefilledFor = null;
  model.dirty = false;
  renderLines();
}

function lineData(raw, d) {
  return {
    id: raw.id,
    description: raw.description ?? raw.id,
    unitName: raw.unit ?? "",
    volume: BigInt(raw.volume ?? 0),
    ceiling: serverAmount(raw.ceiling, d),
  };
}

function cell(className) {
  const td = document.createElement("td");
  td.className = className;
  return td;
}

/** Texts of the line table that depend on language or state; the inputs keep what the bidder typed. */
function renderLines() {
  const lastPrices = model.state?.you?.last_bid?.prices ?? null;
  const d = decimals();
  for (const line of model.lines) {
    setText(line.desc, line.description);
    setText(line.unit, line.unitName ? i18n.t("per_unit", { unit: line.unitName }) : "");
    setText(line.volumeCell, i18n.integer(line.volume));
    line.volumeCell.dataset.label = i18n.t("col_volume");
    setText(line.ceilingCell, money(line.ceiling));
    line.ceilingCell.dataset.label = i18n.t("col_ceiling");
    const last = lastPrices ? serverAmount(lastPrices[line.id], d) : null;
    setText(line.last, last === null ? i18n.t("none") : money(last));
    line.last.dataset.label = i18n.t("col_last_price");
    line.lineTotal.dataset.label = i18n.t("col_line_total");
    line.input.closest("td").dataset.label = i18n.t("col_new_price");
    setText(line.label, i18n.t("input_label", { unit: line.unitName || "—", description: line.description }));
    line.input.placeholder = d > 0 ? `0${i18n.sep.decimal}${"0".repeat(d)}` : "0";
  }
  renderFieldErrors();
  renderTotal();
}

function fillInputs(prices) {
  for (const line of model.lines) {
    const value = prices?.[line.id];
    if (value !== undefined && value !== null) line.input.value = i18n.decimalText(value);
  }
  model.fieldErrors.clear();
  model.totalError = null;
  model.dirty = false;
  renderFieldErrors();
  renderTotal();
}

function maybePrefill() {
  const last = model.state?.you?.last_bid;
  if (!last || !last.prices || last.bid_id === model.prefilledFor) return;
  if (model.dirty || model.pending) return; // never overwrite what the bidder is typing
  fillInputs(last.prices);
  model.prefilledFor = last.bid_id;
}

// ------------------------------------------------------------------------------------------------ checks

function checkLine(line) {
  const result = parseAmount(line.input.value, decimals());
  if (!result.ok) {
    const d = decimals();
    const key = { empty: "v_empty", format: "v_format", not_positive: "v_not_positive", decimals: "v_decimals" }[result.reason];
    return { error: () => i18n.t(key, { d }) };
  }
  if (line.ceiling !== null && result.units > line.ceiling) {
    return { error: () => i18n.t("v_ceiling", { ceiling: money(line.ceiling) }), units: result.units };
  }
  return { units: result.units };
}

/** Everything the form says right now: prices, total, and what is wrong (without showing it). */
function readForm() {
  const errors = new Map();
  const wire = {};
  let total = 0n;
  let empty = 0;
  for (const line of model.lines) {
    const checked = checkLine(line);
    if (checked.error) {
      errors.set(line.id, checked.error);
      if (line.input.value.trim() === "") empty += 1;
    }
    if (checked.units !== undefined && !checked.error) {
      wire[line.id] = unitsToWire(checked.units, decimals());
      total += checked.units * line.volume;
    }
  }
  const complete = errors.size === 0 && model.lines.length > 0;
  const maxTotal = serverAmount(model.state?.you?.max_total, decimals());
  let totalError = null;
  let excess = null;
  if (complete && maxTotal !== null && total > maxTotal) {
    const over = total - maxTotal;
    excess = over;
    totalError = () => i18n.t("v_total", { total: money(total), excess: money(over), max: money(maxTotal) });
  }
  return { errors, wire, total: complete ? total : null, empty, totalError, excess, maxTotal };
}

function renderFieldErrors() {
  for (const line of model.lines) {
    const error = model.fieldErrors.get(line.id);
    setText(line.error, error ? error() : "");
    line.input.setAttribute("aria-invalid", error ? "true" : "false");
    line.row.classList.toggle("has-error", !!error);
  }
  setText($("total-error"), model.totalError ? model.totalError() : "");
  $("bid-total").closest(".total-box").classList.toggle("has-error", !!model.totalError);
}

/** The live total and its hints, recomputed on every keystroke. */
function renderTotal() {
  const form = readForm();
  const d = decimals();
  for (const line of model.lines) {
    const checked = checkLine(line);
    const ok = checked.units !== undefined && !checked.error;
    setText(line.lineTotal, ok ? money(checked.units * line.volume) : i18n.t("none"));
    let warn = "";
    if (ok && line.ceiling !== null && checked.units * 100n < line.ceiling * LOW_PRICE_PERCENT) warn = i18n.t("warn_low_price");
    setText(line.warning, warn);
  }
  const totalEl = $("bid-total");
  const previous = serverAmount(model.state?.you?.last_bid?.total, d);
  const untouched = !model.dirty && previous !== null && form.total === previous;
  setText(totalEl, form.total === null ? i18n.t("none") : money(form.total));
  const hints = [];
  const warnings = [];
  if (form.total === null) {
    if (form.empty > 0) hints.push(i18n.t("total_incomplete", { n: form.empty }));
    if (form.maxTotal !== null) hints.push(i18n.t("total_max", { max: money(form.maxTotal) }));
  } else if (untouched) {
    // the inputs hold the last accepted bid: nothing is wrong yet, the bidder has not started the next one
    hints.push(i18n.t("total_same_as_last", { max: money(form.maxTotal ?? previous) }));
  } else {
    if (form.maxTotal !== null) {
      hints.push(
        form.total > form.maxTotal
          ? i18n.t("total_too_high", { excess: money(form.total - form.maxTotal), max: money(form.maxTotal) })
          : i18n.t("total_within", { max: money(form.maxTotal) }),
      );
    }
    if (previous !== null && previous > 0n) {
      if (form.total < previous) {
        const drop = previous - form.total;
        const pct = percentText(drop, previous);
        hints.push(i18n.t("total_drop", { amount: money(drop), pct: i18n.decimalText(pct) }));
        if (drop * 100n > previous * BIG_DROP_PERCENT) warnings.push(i18n.t("warn_big_drop", { pct: i18n.decimalText(pct) }));
      } else {
        hints.push(i18n.t("total_not_lower"));
      }
    }
  }
  const box = totalEl.closest(".total-box");
  box.classList.toggle("over", !untouched && form.total !== null && form.maxTotal !== null && form.total > form.maxTotal);
  setText($("total-hint"), hints.join(" · "));
  setText($("total-warning"), warnings.join(" "));
}

// Field errors appear on submit and disappear as soon as the field is right. They are deliberately not
// shown on blur: the text they add would move the submit button between mouse-down and mouse-up, and the
// click on "Bod plaatsen" would be lost.
function onInput(line) {
  model.dirty = true;
  if (model.fieldErrors.has(line.id)) {
    const checked = checkLine(line);
    if (checked.error) model.fieldErrors.set(line.id, checked.error);
    else model.fieldErrors.delete(line.id);
  }
  if (model.totalError) {
    const form = readForm();
    model.totalError = form.totalError;
  }
  renderFieldErrors();
  renderTotal();
}


// ------------------------------------------------------------------------------------------------ bidding

function expiredByClock() {
  const s = model.state;
  // our estimate of server time never runs ahead of the server, so "past the close" here is certain
  return !!(s && s.phase === "open" && typeof s.closes_at === "number" && clock.now() >= s.closes_at);
}

function canBid() {
  return !!(model.connection?.isOpen() && model.auction && model.state?.phase === "open" && !expiredByClock());
}

function renderSubmit() {
  const button = $("bid-submit");
  const pending = !!model.pending;
  button.disabled = pending || !canBid() || !!model.fatal;
  setText(button, pending ? i18n.t("submit_busy") : i18n.t("submit"));
  button.setAttribute("aria-busy", pending ? "true" : "false");
  $("bid-form").setAttribute("aria-busy", pending ? "true" : "false");
  let hint = "";
  if (!pending && !model.fatal) {
    if (!model.connection?.isOpen()) hint = i18n.t("submit_hint_offline");
    else if (model.state && !canBid()) hint = i18n.t("submit_hint_not_open");
  }
  setText($("submit-hint"), hint);
}

function onSubmit(event) {
  event.preventDefault();
  if (model.pending || !model.auction) return;
  if (!model.connection?.isOpen()) {
    setMessage("invalid", () => [{ text: i18n.t("v_offline") }]);
    return;
  }
  if (model.state?.phase !== "open" || expiredByClock()) {
    setMessage("invalid", () => [{ text: i18n.t(expiredByClock() ? "v_closed_by_clock" : "v_not_open") }]);
    return;
  }
  const form = readForm();
  model.fieldErrors = form.errors;
  model.totalError = form.errors.size === 0 ? form.totalError : null;
  renderFieldErrors();
  if (form.errors.size > 0) {
    const n = form.errors.size;
    setMessage("invalid", () => [{ text: i18n.t("v_summary", { n }) }]);
    const first = model.lines.find((l) => form.errors.has(l.id));
    first?.input.focus();
    return;
  }
  if (form.totalError) {
    const { excess, maxTotal } = form;
    setMessage("invalid", () => [{ text: i18n.t("v_summary_total_by", { excess: money(excess), max: money(maxTotal) }) }]);
    $("bid-total").closest(".total-box").classList.add("over");
    return;
  }
  const bid = { bid_id: newBidId(), prices: form.wire, total: form.total, sentAt: Date.now(), interrupted: false, resent: false };
  if (!model.connection.send({ type: "bid", bid_id: bid.bid_id, prices: bid.prices })) {
    setMessage("invalid", () => [{ text: i18n.t("v_offline") }]);
    return;
  }
  model.pending = bid;
  setMessage("info", () => [{ text: i18n.t("sending") }]);
  renderSubmit();
}

function resendPending() {
  const bid = model.pending;
  if (model.connection.send({ type: "bid", bid_id: bid.bid_id, prices: bid.prices })) {
    bid.interrupted = false;
    bid.resent = true;
    setMessage("info", () => [{ text: i18n.t("resending") }]);
  }
}

/**
 * After a reconnect, a bid that had no answer is offered again with the same bid_id and prices: if it was
 * accepted, the server answers with the original receipt (same seq and entry_hash) and stores it once; if it
 * was not, it is decided now. An old bid that the state does not show is dropped instead: the market moved.
 */
function settlePendingAfterReconnect() {
  const bid = model.pending;
  if (!bid || !bid.interrupted) return;
  const last = model.state?.you?.last_bid;
  if ((last && last.bid_id === bid.bid_id) || Date.now() - bid.sentAt < RESEND_WITHIN_MS) {
    resendPending();
  } else {
    model.pending = null;
    setMessage("info", () => [{ text: i18n.t("lost_bid") }]);
  }
}

function acceptedEarlier(bid, last) {
  const total = last?.total ?? unitsToWire(bid.total, decimals());
  const d = decimals();
  addReceipt({ bid_id: bid.bid_id, seq: null, hash: null, at: last?.at ?? clock.now(), total, decimals: d });
  setMessage("accepted", () => [{ text: i18n.t("accepted_earlier", { total: money(serverAmount(total, d)) }) }]);
  fillInputs(bid.prices);
  model.prefilledFor = bid.bid_id;
}

function onAccepted(msg) {
  const bid = model.pending && model.pending.bid_id === msg.bid_id ? model.pending : null;
  const d = decimals();
  const total = msg.total ?? (bid ? unitsToWire(bid.total, d) : null);
  const at = typeof msg.server_time === "number" ? msg.server_time : clock.now();
  const hash = typeof msg.entry_hash === "string" ? msg.entry_hash : "";
  addReceipt({ bid_id: msg.bid_id, seq: msg.seq ?? null, hash, at, total, decimals: d });
  setMessage("accepted", () => {
    const parts = [{ text: i18n.t("accepted", { time: i18n.time(at), total: money(serverAmount(total, d)) }) }];
    if (hash) {
      parts.push({ text: i18n.t("accepted_receipt", { seq: msg.seq ?? "?", hash: hash.slice(0, 12) }), title: i18n.t("receipt_hash_title", { hash }) });
    }
    return parts;
  });
  if (bid) {
    model.pending = null;
    fillInputs(bid.prices);
    model.prefilledFor = bid.bid_id;
  }
  renderSubmit();
}

function rejectionText(msg) {
  const details = msg.details && typeof msg.details === "object" ? msg.details : {};
  const d = decimals();
  const lines = (list) => (Array.isArray(list) ? list.map(lineName).join(", ") : "");
  switch (msg.code) {
    case "not_open":
    case "paused":
    case "closed":
    case "cancelled":
    case "duplicate_bid_id":
    case "busy":
    case "unknown_bidder":
      return i18n.t(`rej_${msg.code}`);
    case "missing_line":
      return i18n.t("rej_missing_line", { lines: lines(details.lines) });
    case "unknown_line":
      return i18n.t("rej_unknown_line", { lines: Array.isArray(details.lines) ? details.lines.join(", ") : "" });
    case "bad_price":
      if (!details.line) return i18n.t("rej_fallback", { message: msg.message || msg.code });
      return i18n.t("rej_bad_price", { line: lineName(details.line), d });
    case "above_ceiling": {
      if (!details.line) return i18n.t("rej_fallback", { message: msg.message || msg.code });
      const ceiling = serverAmount(details.ceiling, d) ?? model.lines.find((l) => l.id === details.line)?.ceiling ?? null;
      return i18n.t("rej_above_ceiling", { line: lineName(details.line), ceiling: money(ceiling) });
    }
    case "decrement_too_small": {
      const total = serverAmount(details.total, d);
      const max = serverAmount(details.max_total, d);
      const previous = serverAmount(details.previous_total, d);
      if (total === null || max === null || previous === null) return i18n.t("rej_decrement_too_small_short");
      return i18n.t("rej_decrement_too_small", {
        total: money(total),
        max_total: money(max),
        previous_total: money(previous),
        decrement: money(previous - max),
      });
    }
    default:
      return i18n.t("rej_fallback", { message: msg.message || msg.code || "?" });
  }
}

function onRejected(msg) {
  const bid = model.pending && model.pending.bid_id === msg.bid_id ? model.pending : null;
  if (bid) model.pending = null;
  const last = model.state?.you?.last_bid;
  if (bid && bid.resent && msg.code === "duplicate_bid_id" && last && last.bid_id === bid.bid_id) {
    // a server that answers a retry with duplicate_bid_id rather than the original receipt: the state shows
    // the bid as accepted, so it stands, only its receipt number is not known here
    acceptedEarlier(bid, last);
    renderSubmit();
    return;
  }
  const details = msg.details && typeof msg.details === "object" ? msg.details : {};
  if ((msg.code === "bad_price" || msg.code === "above_ceiling") && details.line) {
    model.fieldErrors.set(details.line, () => rejectionText(msg));
  }
  if (msg.code === "missing_line" && Array.isArray(details.lines)) {
    for (const id of details.lines) model.fieldErrors.set(id, () => i18n.t("v_empty"));
  }
  renderFieldErrors();
  setMessage("rejected", () => [{ text: `${i18n.t("rejected_prefix")} ${rejectionText(msg)}` }], msg.code || "");
  renderSubmit();
}

function onError(msg) {
  if (FATAL_ERROR_CODES.has(msg.code)) {
    if (msg.code.startsWith("session_") || msg.code === "invalid_session") forgetSession("bidder", link.auctionId);
    model.fatal = { key: msg.code, params: {} };
    model.pending = null;
    renderAll();
    return;
  }
  const bid = model.pending;
  if (msg.code === "not_recorded" && bid && !bid.notRecordedRetry) {
    // nothing was stored; the protocol asks for the same bid again with the same bid_id
    bid.notRecordedRetry = true;
    setMessage("info", () => [{ text: i18n.t("resending_not_recorded") }]);
    window.setTimeout(() => {
      if (model.pending === bid && model.connection?.isOpen()) resendPending();
    }, NOT_RECORDED_RETRY_MS);
    return;
  }
  if (model.pending) model.pending = null; // the only message we send that can fail is the bid
  if (msg.code === "not_recorded") setMessage("error", () => [{ text: i18n.t("err_not_recorded") }], "not_recorded");
  else if (msg.code === "busy") setMessage("error", () => [{ text: i18n.t("err_busy") }], "busy");
  else if (msg.code === "bad_message") setMessage("error", () => [{ text: i18n.t("err_bad_message", { message: msg.message ?? "" }) }], "bad_message");
  else setMessage("error", () => [{ text: i18n.t("err_other", { message: msg.message ?? msg.code ?? "?" }) }], msg.code || "");
  renderSubmit();
}

// ------------------------------------------------------------------------------------------------ messages in

function onMessage(msg) {
  clock.note(msg.server_time);
  switch (msg.type) {
    case "welcome":
      model.auction = msg.auction || null;
      model.seenSeq = -1;
      model.freshConnection = true;
      if (model.auction) buildLines();
      if (msg.protocol !== undefined && msg.protocol !== PROTOCOL_VERSION) {
        setMessage("error", () => [{ text: i18n.t("protocol_mismatch", { ours: PROTOCOL_VERSION, theirs: msg.protocol }) }]);
      }
      renderAll();
      break;
    case "state":
      if (typeof msg.seq === "number") {
        if (msg.seq < model.seenSeq) return; // an older picture than the one shown
        model.seenSeq = msg.seq;
      }
      model.state = msg;
      if (model.freshConnection) {
        model.freshConnection = false;
        settlePendingAfterReconnect();
      }
      maybePrefill();
      if (model.lastPhase !== null && model.lastPhase !== msg.phase) announce(i18n.t("announce_phase", { phase: phaseText(i18n, msg.phase) }));
      model.lastPhase = msg.phase;
      renderAll();
      break;
    case "bid_accepted":
      onAccepted(msg);
      break;
    case "bid_rejected":
      onRejected(msg);
      break;
    case "error":
      onError(msg);
      break;
    default:
      break; // pong and anything newer: the clock sample above is all we need
  }
}

function onStatus(status) {
  if (status !== "open" && model.pending) model.pending.interrupted = true;
  if (status === "failed" && !model.fatal) {
    const code = model.connection?.closeCode;
    model.fatal = { key: "fatal_other", params: { code: code ?? "?" } };
  }
  if (status === "failed") renderAll();
  renderConnection($("connection"), i18n, model.connection, !!model.fatal);
  renderSubmit();
}

// ------------------------------------------------------------------------------------------------ rendering

function renderStatus() {
  const s = model.state;
  const you = s?.you ?? null;
  const d = decimals();
  renderPhase(i18n, s);

  const rankEl = $("rank");
  const rank = typeof you?.rank === "number" ? you.rank : null;
  setAttr(rankEl, "data-rank", rank === null ? "" : String(rank));
  let rankText = i18n.t("rank_none");
  if (rank !== null) {
    rankText = typeof s.bidder_count === "number" ? i18n.t("rank_of", { rank, count: s.bidder_count }) : i18n.t("rank_only", { rank });
  }
  setText(rankEl, rankText);
  const note = $("rank-note");
  setText(note, rank === null ? "" : rank === 1 ? i18n.t("rank_lead") : i18n.t("rank_not_lead"));
  note.classList.toggle("lead-badge", rank === 1);
  rankEl.closest(".stat").classList.toggle("is-lead", rank === 1);
  rankEl.closest(".stat").classList.toggle("is-behind", rank !== null && rank > 1);

  const last = you?.last_bid ?? null;
  setText($("last-total"), last ? money(serverAmount(last.total, d)) : i18n.t("none"));
  setText($("last-at"), last && typeof last.at === "number" ? i18n.t("last_at", { time: i18n.time(last.at) }) : "");

  const extras = [];
  if (s && typeof s.bidder_count === "number") extras.push([i18n.t("bidder_count_label"), String(s.bidder_count), "bidder-count"]);
  if (s && "best_total" in s) {
    const best = serverAmount(s.best_total, d);
    extras.push([i18n.t("best_total_label"), best === null ? i18n.t("best_total_none") : money(best), "best-total"]);
  }
  if (s && s.extensions > 0) extras.push([i18n.t("extensions_label"), i18n.t("extensions_value", { n: s.extensions }), "extensions"]);
  const list = $("extra-list");
  list.replaceChildren(
    ...extras.flatMap(([label, value, id]) => {
      const dt = document.createElement("dt");
      dt.textContent = label;
      const dd = document.createElement("dd");
      dd.id = id;
      dd.textContent = value;
      return [dt, dd];
    }),
  );
  $("extra-stats").hidden = extras.length === 0;
}

function renderFatalState() {
  const failed = !!model.fatal;
  $("content").hidden = failed;
  document.querySelector(".titlebar").hidden = failed && !model.auction;
  if (failed) renderFatal(i18n, model.fatal.key, model.fatal.params);
  else $("fatal").hidden = true;
}

function renderAll() {
  i18n.translateStatic();
  const practice = isPractice(model.auction, model.state);
  renderPractice(i18n, practice);
  renderTitle(i18n, model.auction, model.state, practice);
  renderHeader(i18n, model.auction);
  if (model.auction) renderRules(i18n, model.auction, "bidder");
  renderStatus();
  renderLines();
  renderClock(i18n, model.auction, model.state, clock);
  renderConnection($("connection"), i18n, model.connection, !!model.fatal);
  renderMessage();
  renderReceipts();
  renderSubmit();
  renderFatalState();
}

function tick() {
  renderClock(i18n, model.auction, model.state, clock);
  renderConnection($("connection"), i18n, model.connection, !!model.fatal);
  renderSubmit();
}

// ------------------------------------------------------------------------------------------------ start

async function start() {
  wireLanguageToggle(i18n);
  i18n.onChange(() => renderAll());
  $("bid-form").addEventListener("submit", onSubmit);
  if (!link.auctionId) {
    model.fatal = { key: "no_auction_id", params: {} };
    renderAll();
    return;
  }
  const opened = await openSession("bidder", link);
  if (opened.error) {
    model.fatal = { key: opened.error, params: {} };
    renderAll();
    return;
  }
  model.connection = new Connection(socketUrl("bidder", link.auctionId, opened.session), { onMessage, onStatus });
  renderAll();
  model.connection.start();
  window.setInterval(tick, 200);
}

start();
