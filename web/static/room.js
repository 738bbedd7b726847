// The bidder room: one supplier's view of one auction (docs/protocol.md, "Server → bidder").
//
// The page keeps no truth of its own: every `state` from the server replaces the last one, and after a
// reconnect the server sends everything again. What the page adds is the form (checked here before sending,
// so a typo is caught at the field), the pending bid or acceptance (at most one), and the receipts of this
// session. Every format has its own controls: the bid form (English auction, and fixed turns in the initial
// stage or on one's own turn), "Accepteren" (Japanese and Dutch levels) and "Bod handhaven" (fixed turns).

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
  byLevels,
  formatOf,
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
  pending: null, // {kind: "bid"|"accept", bid_id, prices (wire strings), total (units), level?, confirmed?, sentAt, interrupted, resent}
  pendingPass: false, // a `pass` was sent and its answer has not come yet
  confirm: null, // a bid the server asks to confirm (far below its reference): {bid, message}
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

function rules() {
  return model.auction?.rules ?? {};
}

/** Fixed turns: the state's round view, or null in the other formats. */
function roundView() {
  return formatOf(model.auction) === "rounds" ? (model.state?.round ?? null) : null;
}

/** Fixed turns in the sealed initial-offer stage: the room shows nothing of the others, not even a rank. */
function initialStage() {
  return roundView()?.stage === "initial_offers";
}

/** Bidders see nothing of the others now: a sealed auction, or the initial stage of fixed turns. The server
 * says so in `state.sealed`; an older server does not, and then the rules decide. */
function sealedNow() {
  const sealed = model.state?.sealed;
  return typeof sealed === "boolean" ? sealed : !!rules().sealed || initialStage();
}

function blocked() {
  return !!model.state?.you?.blocked;
}

/** `bid_lines = "changed"` after a first bid: an empty line keeps its standing price and is not sent. */
function changedMode() {
  return rules().bid_lines === "changed" && !!model.state?.you?.last_bid?.prices;
}

function carriedPrice(line) {
  const prices = model.state?.you?.last_bid?.prices;
  return prices ? serverAmount(prices[line.id], decimals()) : null;
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
    line.input.placeholder = changedMode() ? i18n.t("unchanged") : d > 0 ? `0${i18n.sep.decimal}${"0".repeat(d)}` : "0";
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

function clearInputs() {
  for (const line of model.lines) line.input.value = "";
  model.fieldErrors.clear();
  model.totalError = null;
  model.dirty = false;
  renderFieldErrors();
  renderTotal();
}

/** After a bid is accepted the inputs show its prices; with `bid_lines = "changed"` they empty instead. */
function showAcceptedPrices(bid) {
  if (rules().bid_lines === "changed") clearInputs();
  else fillInputs(bid.prices);
  model.prefilledFor = bid.bid_id;
}

function maybePrefill() {
  const last = model.state?.you?.last_bid;
  if (!last || !last.prices || last.bid_id === model.prefilledFor) return;
  if (rules().bid_lines === "changed") {
    model.prefilledFor = last.bid_id; // empty lines keep these prices: nothing to fill in
    return;
  }
  if (model.dirty || model.pending) return; // never overwrite what the bidder is typing
  fillInputs(last.prices);
  model.prefilledFor = last.bid_id;
}

// ------------------------------------------------------------------------------------------------ checks

function checkLine(line) {
  if (line.input.value.trim() === "" && changedMode()) {
    const carried = carriedPrice(line);
    if (carried !== null) return { units: carried, carried: true };
  }
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
  let filled = 0;
  for (const line of model.lines) {
    const checked = checkLine(line);
    if (checked.error) {
      errors.set(line.id, checked.error);
      if (line.input.value.trim() === "") empty += 1;
    }
    if (checked.units !== undefined && !checked.error) {
      if (!checked.carried) {
        wire[line.id] = unitsToWire(checked.units, decimals());
        filled += 1;
      }
      total += checked.units * line.volume;
    }
  }
  const nothingChanged = changedMode() && errors.size === 0 && filled === 0;
  const complete = errors.size === 0 && model.lines.length > 0;
  const maxTotal = serverAmount(model.state?.you?.max_total, decimals());
  let totalError = null;
  let excess = null;
  if (complete && maxTotal !== null && total > maxTotal) {
    const over = total - maxTotal;
    excess = over;
    totalError = () => i18n.t("v_total", { total: money(total), excess: money(over), max: money(maxTotal) });
  }
  return { errors, wire, total: complete ? total : null, empty, totalError, excess, maxTotal, nothingChanged };
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
    const key = changedMode() ? "total_same_as_last_changed" : "total_same_as_last";
    hints.push(i18n.t(key, { max: money(form.maxTotal ?? previous) }));
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

function canAct() {
  return !!(model.connection?.isOpen() && model.auction && model.state?.phase === "open" && !expiredByClock() && !blocked());
}

/** Whether the bid form may send a bid now: never in Japanese or Dutch; with fixed turns only in the initial
 * stage or on one's own turn. */
function canBid() {
  if (!canAct() || byLevels(model.auction)) return false;
  const round = roundView();
  if (round) return round.stage === "initial_offers" || !!round.your_turn;
  return true;
}

function busy() {
  return !!model.pending || model.pendingPass || !!model.confirm;
}

function renderSubmit() {
  const button = $("bid-submit");
  const sending = !!model.pending && model.pending.kind === "bid";
  button.disabled = busy() || !canBid() || !!model.fatal;
  setText(button, sending ? i18n.t("submit_busy") : i18n.t("submit"));
  button.setAttribute("aria-busy", sending ? "true" : "false");
  $("bid-form").setAttribute("aria-busy", sending ? "true" : "false");
  let hint = "";
  if (!sending && !model.fatal) {
    if (!model.connection?.isOpen()) hint = i18n.t("submit_hint_offline");
    else if (blocked()) hint = i18n.t("submit_hint_blocked");
    else if (model.state && model.state.phase === "open" && roundView() && !canBid() && !expiredByClock()) {
      hint = i18n.t("submit_hint_not_your_turn");
    } else if (model.state && !canBid()) hint = i18n.t("submit_hint_not_open");
  }
  setText($("submit-hint"), hint);
  // Prices may be typed ahead while waiting for the opening; not while another bidder has the turn.
  const round = roundView();
  const waitingForTurn = !!round && round.stage === "turns" && !round.your_turn && model.state?.phase === "open";
  for (const line of model.lines) line.input.disabled = waitingForTurn || blocked() || !!model.fatal;
  renderAcceptButton();
  renderPassButton();
}

function onSubmit(event) {
  event.preventDefault();
  if (busy() || !model.auction) return;
  if (!model.connection?.isOpen()) {
    setMessage("invalid", () => [{ text: i18n.t("v_offline") }]);
    return;
  }
  if (model.state?.phase !== "open" || expiredByClock()) {
    setMessage("invalid", () => [{ text: i18n.t(expiredByClock() ? "v_closed_by_clock" : "v_not_open") }]);
    return;
  }
  if (!canBid()) {
    setMessage("invalid", () => [{ text: i18n.t(blocked() ? "rej_blocked" : "rej_not_your_turn") }]);
    return;
  }
  const form = readForm();
  if (form.nothingChanged) {
    setMessage("invalid", () => [{ text: i18n.t("v_nothing_changed") }]);
    return;
  }
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
  const bid = {
    kind: "bid",
    bid_id: newBidId(),
    prices: form.wire,
    total: form.total,
    confirmed: false,
    sentAt: Date.now(),
    interrupted: false,
    resent: false,
  };
  if (!model.connection.send(wireMessage(bid))) {
    setMessage("invalid", () => [{ text: i18n.t("v_offline") }]);
    return;
  }
  model.pending = bid;
  setMessage("info", () => [{ text: i18n.t("sending") }]);
  renderSubmit();
}

/** The frame for a pending bid or acceptance; a resend is byte-for-byte the same message. */
function wireMessage(pending) {
  if (pending.kind === "accept") return { type: "accept", bid_id: pending.bid_id, level: pending.level };
  const message = { type: "bid", bid_id: pending.bid_id, prices: pending.prices };
  if (pending.confirmed) message.confirmed = true;
  return message;
}

function resendPending() {
  const bid = model.pending;
  if (model.connection.send(wireMessage(bid))) {
    bid.interrupted = false;
    bid.resent = true;
    setMessage("info", () => [{ text: i18n.t("resending") }]);
  }
}

// ------------------------------------------------------------------------------------------------ far below

/** The server asks to confirm a bid far below its reference: ask the bidder, then send the very same bid
 * (same bid_id, same prices) again with `confirmed: true`. */
function askToConfirm(bid, msg) {
  model.confirm = { bid, message: msg };
  renderConfirm();
  const dialog = $("confirm-dialog");
  if (!dialog.open) dialog.showModal();
  $("confirm-cancel").focus();
  renderSubmit();
}

function renderConfirm() {
  const c = model.confirm;
  if (!c) return;
  const d = decimals();
  const details = c.message.details && typeof c.message.details === "object" ? c.message.details : {};
  const reference = serverAmount(details.reference, d);
  // with quality weighting the comparison is between ranked figures, not price totals
  const key = rules().meat ? "confirm_text_meat" : "confirm_text";
  const text =
    reference !== null && details.percent !== undefined
      ? i18n.t(key, { total: money(c.bid.total), pct: i18n.decimalText(details.percent), reference: money(reference) })
      : i18n.t("confirm_text_short");
  setText($("confirm-text"), text);
  setText($("confirm-server-message"), c.message.message ?? "");
  $("confirm-details").hidden = !c.message.message;
}

function onConfirmSend() {
  const c = model.confirm;
  if (!c) return;
  model.confirm = null;
  $("confirm-dialog").close("send");
  const bid = { ...c.bid, confirmed: true, sentAt: Date.now(), interrupted: false, resent: false };
  if (!canBid() || !model.connection.send(wireMessage(bid))) {
    setMessage("invalid", () => [{ text: i18n.t(model.connection?.isOpen() ? "v_not_open" : "v_offline") }]);
    renderSubmit();
    return;
  }
  model.pending = bid;
  setMessage("info", () => [{ text: i18n.t("sending_confirmed") }]);
  renderSubmit();
}

function onConfirmClosed() {
  // closed by "no", by Escape, or after sending (when model.confirm is already cleared)
  if (!model.confirm) return;
  model.confirm = null;
  setMessage("invalid", () => [{ text: i18n.t("confirm_cancelled") }], "confirm_far_below");
  renderSubmit();
}

// ------------------------------------------------------------------------------------------------ levels and turns

/** Japanese and Dutch: accept the level standing now (the state's `level.level`). */
function onAccept() {
  const level = model.state?.level;
  if (busy() || !level || !canAct() || level.accepted || level.out) return;
  const d = decimals();
  const accept = {
    kind: "accept",
    bid_id: newBidId(),
    level: level.level,
    number: level.number,
    prices: level.prices ?? {},
    total: serverAmount(level.total, d) ?? 0n,
    sentAt: Date.now(),
    interrupted: false,
    resent: false,
  };
  if (!model.connection.send(wireMessage(accept))) {
    setMessage("invalid", () => [{ text: i18n.t("v_offline") }]);
    return;
  }
  model.pending = accept;
  setMessage("info", () => [{ text: i18n.t("sending_accept") }]);
  renderSubmit();
}

/** Fixed turns: keep the standing offer and end one's turn. */
function onPass() {
  if (busy() || !canAct() || !roundView()?.your_turn) return;
  if (!model.connection.send({ type: "pass" })) {
    setMessage("invalid", () => [{ text: i18n.t("v_offline") }]);
    return;
  }
  model.pendingPass = true;
  setMessage("info", () => [{ text: i18n.t("sending_pass") }]);
  renderSubmit();
}

function onPassAccepted() {
  model.pendingPass = false;
  setMessage("accepted", () => [{ text: i18n.t("pass_accepted") }], "pass_accepted");
  renderSubmit();
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
  if (bid.kind === "bid") showAcceptedPrices(bid);
}

function onAccepted(msg) {
  const bid = model.pending && model.pending.bid_id === msg.bid_id ? model.pending : null;
  const d = decimals();
  const total = msg.total ?? (bid ? unitsToWire(bid.total, d) : null);
  const at = typeof msg.server_time === "number" ? msg.server_time : clock.now();
  const hash = typeof msg.entry_hash === "string" ? msg.entry_hash : "";
  addReceipt({ bid_id: msg.bid_id, seq: msg.seq ?? null, hash, at, total, decimals: d });
  setMessage("accepted", () => {
    const amount = money(serverAmount(total, d));
    const main = bid && bid.kind === "accept"
      ? i18n.t("accepted_level", { number: bid.number, time: i18n.time(at), total: amount })
      : i18n.t("accepted", { time: i18n.time(at), total: amount });
    const parts = [{ text: main }];
    if (hash) {
      parts.push({ text: i18n.t("accepted_receipt", { seq: msg.seq ?? "?", hash: hash.slice(0, 12) }), title: i18n.t("receipt_hash_title", { hash }) });
    }
    return parts;
  });
  if (bid) {
    model.pending = null;
    if (bid.kind === "bid") showAcceptedPrices(bid);
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
    case "tie_refused":
    case "confirm_far_below":
    case "blocked":
    case "not_your_turn":
    case "turn_ended":
    case "level_ended":
    case "dropped_out":
    case "already_accepted":
    case "wrong_format":
    case "not_the_level":
      return i18n.t(`rej_${msg.code}`);
    case "must_beat_best": {
      const max = serverAmount(details.max_total, d);
      return max === null ? i18n.t("rej_must_beat_best_short") : i18n.t("rej_must_beat_best", { max_total: money(max) });
    }
    case "level_changed":
      return typeof details.level === "number"
        ? i18n.t("rej_level_changed", { number: details.level + 1 })
        : i18n.t("rej_level_changed_short");
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
  if ((msg.bid_id === null || msg.bid_id === undefined) && model.pendingPass) {
    // a pass carries no bid id: its refusal comes back with bid_id null
    model.pendingPass = false;
    setMessage("rejected", () => [{ text: `${i18n.t("rejected_pass_prefix")} ${rejectionText(msg)}` }], msg.code || "");
    renderSubmit();
    return;
  }
  const bid = model.pending && model.pending.bid_id === msg.bid_id ? model.pending : null;
  if (bid) model.pending = null;
  if (bid && bid.kind === "bid" && msg.code === "confirm_far_below" && !bid.confirmed) {
    askToConfirm(bid, msg);
    setMessage("info", () => [{ text: i18n.t("confirm_title") }], "confirm_far_below");
    return;
  }
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
  const prefix = bid && bid.kind === "accept" ? "rejected_accept_prefix" : "rejected_prefix";
  setMessage("rejected", () => [{ text: `${i18n.t(prefix)} ${rejectionText(msg)}` }], msg.code || "");
  renderSubmit();
}

function onError(msg) {
  if (FATAL_ERROR_CODES.has(msg.code)) {
    if (msg.code.startsWith("session_") || msg.code === "invalid_session") forgetSession("bidder", link.auctionId);
    model.fatal = { key: msg.code, params: {} };
    model.pending = null;
    model.pendingPass = false;
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
  // the messages we send that can fail are the bid, the acceptance and the pass
  if (model.pending) model.pending = null;
  model.pendingPass = false;
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
    case "pass_accepted":
      onPassAccepted();
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
  // a pass whose answer was lost is not resent: the next state shows whether the turn ended
  if (status !== "open") model.pendingPass = false;
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
  const format = formatOf(model.auction);
  renderPhase(i18n, s);

  const rankEl = $("rank");
  // A sealed auction sends no rank; in the sealed initial stage of fixed turns the room shows none either.
  const hidden = sealedNow();
  const rank = typeof you?.rank === "number" && !hidden ? you.rank : null;
  setAttr(rankEl, "data-rank", rank === null ? "" : String(rank));
  let rankText = i18n.t("rank_none");
  let noteText = rank === null ? "" : rank === 1 ? i18n.t("rank_lead") : i18n.t("rank_not_lead");
  const level = byLevels(model.auction) ? s?.level ?? null : null;
  if (hidden) {
    rankText = you?.last_bid ? i18n.t("rank_sealed") : i18n.t("rank_none");
    noteText = i18n.t(rules().sealed ? "sealed_note" : "initial_sealed_note");
  } else if (level && s.phase === "open") {
    // while the levels run, what matters is whether one is still in; the rank follows at the close
    rankText = i18n.t(level.out ? "standing_out" : level.accepted ? "standing_accepted" : "standing_in");
    noteText = "";
  } else if (rank !== null) {
    rankText = typeof s.bidder_count === "number" ? i18n.t("rank_of", { rank, count: s.bidder_count }) : i18n.t("rank_only", { rank });
  }
  setText(rankEl, rankText);
  const note = $("rank-note");
  setText(note, noteText);
  const lead = rank === 1 && !(level && s.phase === "open");
  note.classList.toggle("lead-badge", lead);
  rankEl.closest(".stat").classList.toggle("is-lead", lead);
  rankEl.closest(".stat").classList.toggle("is-behind", rank !== null && rank > 1 && !(level && s.phase === "open"));

  const last = you?.last_bid ?? null;
  setText($("last-total"), last ? money(serverAmount(last.total, d)) : i18n.t("none"));
  setText($("last-at"), last && typeof last.at === "number" ? i18n.t("last_at", { time: i18n.time(last.at) }) : "");

  const extras = [];
  if (model.auction) extras.push([i18n.t("format_label"), i18n.t(`format_${format}`), "format"]);
  if (s && typeof s.bidder_count === "number") extras.push([i18n.t("bidder_count_label"), String(s.bidder_count), "bidder-count"]);
  if (s && "best_total" in s && !sealedNow()) {
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
      dd.dataset.value = id === "format" ? format : "";
      dd.textContent = value;
      return [dt, dd];
    }),
  );
  $("extra-stats").hidden = extras.length === 0;
}

function renderBlocked() {
  const banner = $("blocked-banner");
  banner.hidden = !blocked();
  setText(banner, blocked() ? i18n.t("blocked_banner") : "");
}

/** The bid form exists in the English format and with fixed turns; Japanese and Dutch have no free prices. */
function renderFormPanel() {
  $("bid-panel").hidden = !model.auction || byLevels(model.auction);
  setText($("form-intro"), i18n.t(changedMode() ? "changed_intro" : "form_intro"));
}

function countdownTo(endsAt) {
  if (typeof endsAt !== "number" || model.state?.phase !== "open") return i18n.t("none");
  return i18n.countdown(endsAt - clock.now());
}

function renderLevelPanel() {
  const panel = $("level-panel");
  panel.hidden = !byLevels(model.auction);
  if (panel.hidden) return;
  const s = model.state;
  const level = s?.level ?? null;
  const d = decimals();
  const numberEl = $("level-number");
  setAttr(numberEl, "data-level", level ? String(level.level) : "");
  setText(numberEl, level ? i18n.t("level_number", { number: level.number, of: level.of }) : i18n.t("none"));
  setText($("level-percent"), level ? i18n.t("level_percent", { pct: i18n.decimalText(level.percent) }) : "");
  setText($("level-total"), level ? money(serverAmount(level.total, d)) : i18n.t("none"));
  renderLevelClock();
  const rows = model.lines.map((line) => {
    const tr = document.createElement("tr");
    tr.dataset.line = line.id;
    const product = document.createElement("th");
    product.scope = "row";
    product.className = "product";
    const desc = document.createElement("span");
    desc.className = "desc";
    desc.textContent = line.description;
    const unit = document.createElement("span");
    unit.className = "unit";
    unit.textContent = line.unitName ? i18n.t("per_unit", { unit: line.unitName }) : "";
    product.append(desc, unit);
    const price = level ? serverAmount(level.prices?.[line.id], d) : null;
    const cells = [
      [i18n.integer(line.volume), "col_volume", "num"],
      [money(line.ceiling), "col_ceiling", "num"],
      [money(price), "col_level_price", "num level-price"],
      [price === null ? i18n.t("none") : money(price * line.volume), "col_line_total", "num line-total"],
    ];
    tr.append(product);
    for (const [text, label, className] of cells) {
      const td = cell(className);
      td.dataset.label = i18n.t(label);
      td.textContent = text;
      tr.append(td);
    }
    return tr;
  });
  $("level-lines").replaceChildren(...rows);

  const dutch = formatOf(model.auction) === "dutch";
  let status = "";
  let text = "";
  const phase = s?.phase ?? "";
  if (!s || phase === "scheduled" || (!level && phase === "open")) {
    status = "waiting";
    text = i18n.t("level_waiting");
  } else if (!["open", "paused"].includes(phase)) {
    // closed: one who dropped out stays marked as out; the winner (rank 1) is told so
    status = level?.out ? "out" : "closed";
    text = i18n.t(level?.out ? "level_status_out_closed" : s.you?.rank === 1 ? "level_status_closed_won" : "level_status_closed");
  } else if (blocked()) {
    status = "blocked";
    text = i18n.t("level_status_blocked");
  } else if (level?.out) {
    status = "out";
    text = i18n.t("level_status_out");
  } else if (level?.accepted) {
    status = "accepted";
    text = i18n.t(dutch ? "level_status_accepted_dutch" : "level_status_accepted", { number: level.number });
  } else if (phase === "paused") {
    status = "paused";
    text = i18n.t("paused_note");
  } else {
    status = "open";
    text = i18n.t(dutch ? "level_status_open_dutch" : "level_status_open_japanese");
  }
  const statusEl = $("level-status");
  setAttr(statusEl, "data-status", status);
  setText(statusEl, text);
  const inEl = $("bidders-in");
  const count = typeof level?.bidders_in === "number" ? level.bidders_in : null;
  inEl.hidden = count === null;
  setText(inEl, count === null ? "" : i18n.t("bidders_in", { n: count }));
  renderAcceptButton();
}

function renderLevelClock() {
  const el = $("level-time-left");
  if (!el) return;
  const level = model.state?.level ?? null;
  setText(el, countdownTo(level?.ends_at));
  const left = typeof level?.ends_at === "number" ? level.ends_at - clock.now() : null;
  const urgentMs = Math.min(10000, ((rules().level_interval_s ?? 30) * 1000) / 3);
  el.classList.toggle("urgent", model.state?.phase === "open" && left !== null && left <= urgentMs);
}

function renderAcceptButton() {
  const button = $("accept-button");
  if (!button || !byLevels(model.auction)) return;
  const level = model.state?.level ?? null;
  const accepting = model.pending?.kind === "accept";
  button.disabled = busy() || !canAct() || !level || !!level.accepted || !!level.out || !!model.fatal;
  setText(button, accepting ? i18n.t("accept_busy") : i18n.t("accept_button"));
  button.setAttribute("aria-busy", accepting ? "true" : "false");
  if (level) {
    const total = money(serverAmount(level.total, decimals()));
    button.setAttribute("aria-label", i18n.t("accept_button_label", { number: level.number, total }));
  } else button.removeAttribute("aria-label");
}

function renderRoundPanel() {
  const panel = $("round-panel");
  const round = roundView();
  panel.hidden = !round;
  if (!round) return;
  const phase = model.state?.phase ?? "";
  const turns = round.stage === "turns";
  setText($("round-stage"), turns ? i18n.t("round_of", { round: round.round, of: round.of }) : i18n.t("round_stage_initial"));
  let turn = "";
  let text = "";
  if (phase === "scheduled") {
    turn = "waiting_open";
    text = i18n.t("round_waiting");
  } else if (!["open", "paused"].includes(phase)) {
    turn = "closed";
    text = i18n.t("level_status_closed");
  } else if (!turns) {
    turn = "initial";
    text = i18n.t("turn_initial");
  } else if (round.your_turn) {
    turn = "yours";
    text = i18n.t("turn_yours");
  } else if (typeof round.your_position !== "number") {
    turn = "none";
    text = i18n.t("turn_none");
  } else if (typeof round.position === "number" && round.your_position > round.position) {
    turn = "waiting";
    text = i18n.t("turn_waiting", { k: round.your_position, n: round.positions, position: round.position });
  } else {
    turn = "done";
    text = i18n.t("turn_done");
  }
  const status = $("turn-status");
  setAttr(status, "data-turn", turn);
  setText(status, text);
  panel.classList.toggle("is-your-turn", turn === "yours" || turn === "initial");
  setText($("turn-time-label"), i18n.t(!turns ? "turn_time_initial" : round.your_turn ? "turn_time_yours" : "turn_time_other"));
  renderTurnClock();
  $("pass-button").hidden = !turns;
  $("pass-hint").hidden = !turns;
  renderPassButton();
}

function renderTurnClock() {
  const el = $("turn-time-left");
  if (!el) return;
  const endsAt = roundView()?.ends_at;
  setText(el, countdownTo(endsAt));
  const left = typeof endsAt === "number" ? endsAt - clock.now() : null;
  const urgentMs = Math.min(30000, ((rules().turn_s ?? 120) * 1000) / 3);
  el.classList.toggle("urgent", model.state?.phase === "open" && left !== null && left <= urgentMs);
}

function renderPassButton() {
  const button = $("pass-button");
  const round = roundView();
  if (!button || !round) return;
  button.disabled = busy() || !canAct() || round.stage !== "turns" || !round.your_turn || !!model.fatal;
  setText(button, model.pendingPass ? i18n.t("pass_busy") : i18n.t("pass_button"));
  button.setAttribute("aria-busy", model.pendingPass ? "true" : "false");
}

/** Quality weighting (MEAT): the bidder's own score and factor or bonus, its ranked figure, and the totals that
 * would move it up one rank or into the lead. Nothing here names or prices another bidder. */
function renderMeatPanel() {
  const you = model.state?.you;
  const meat = rules().meat;
  const panel = $("meat-panel");
  panel.hidden = !meat || !you || !("quality_score" in you);
  if (panel.hidden) return;
  const d = decimals();
  const rows = [];
  rows.push(["meat-score", i18n.t("meat_score"), you.quality_score ? i18n.decimalText(you.quality_score) : i18n.t("none")]);
  if (you.weight !== null && you.weight !== undefined) {
    if (meat.formula === "bonus") rows.push(["meat-weight", i18n.t("meat_bonus"), money(serverAmount(you.weight, d))]);
    else rows.push(["meat-weight", i18n.t("meat_factor"), i18n.decimalText(you.weight)]);
  }
  rows.push(["meat-ranked", i18n.t("meat_ranked"), money(serverAmount(you.ranked, d))]);
  const beat = you.bid_to_beat;
  if (beat && !sealedNow()) {
    const rank = typeof you.rank === "number" ? you.rank : null;
    if (rank === 1) rows.push(["meat-beat-lead", i18n.t("meat_beat_lead"), i18n.t("meat_you_lead")]);
    else {
      const next = serverAmount(beat.next_rank, d);
      const lead = serverAmount(beat.lead, d);
      if (next === null && lead === null) rows.push(["meat-beat-next", i18n.t("meat_beat_next"), i18n.t("meat_beat_none")]);
      else {
        // with rank 2 the next rank is the lead: one line says it
        if (next !== null && rank !== 2) rows.push(["meat-beat-next", i18n.t(rank === null ? "meat_beat_worst" : "meat_beat_next"), money(next)]);
        if (lead !== null) rows.push(["meat-beat-lead", i18n.t("meat_beat_lead"), money(lead)]);
      }
    }
  }
  $("meat-list").replaceChildren(
    ...rows.flatMap(([id, label, value]) => {
      const dt = document.createElement("dt");
      dt.textContent = label;
      const dd = document.createElement("dd");
      dd.id = id;
      dd.textContent = value;
      return [dt, dd];
    }),
  );
}

/** `show_ladder`: every offer without names, best first; the bidder's own row is marked. */
function renderLadderPanel() {
  const s = model.state;
  const ladder = Array.isArray(s?.ladder) && !sealedNow() ? s.ladder : null;
  const panel = $("ladder-panel");
  panel.hidden = ladder === null;
  if (!ladder) return;
  const d = decimals();
  setText($("bidder-ladder-figure"), i18n.t(rules().meat ? "ladder_ranked" : "ladder_total"));
  const rows = ladder.map((entry) => {
    const tr = document.createElement("tr");
    tr.dataset.rank = String(entry.rank ?? "");
    tr.dataset.you = entry.you ? "true" : "false";
    tr.classList.toggle("you", !!entry.you);
    for (const [text, className] of [
      [String(entry.rank ?? ""), "num"],
      [money(serverAmount(entry.total, d)), "num"],
      [entry.you ? i18n.t("ladder_you") : i18n.t("ladder_other"), "who"],
    ]) {
      const td = document.createElement("td");
      td.className = className;
      td.textContent = text;
      tr.append(td);
    }
    if (entry.you) tr.setAttribute("aria-current", "true");
    return tr;
  });
  $("bidder-ladder").tBodies[0].replaceChildren(...rows);
  $("bidder-ladder-empty").hidden = ladder.length > 0;
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
  if (model.auction) renderRules(i18n, model.auction, "bidder", model.state);
  renderStatus();
  renderBlocked();
  renderFormPanel();
  renderLines();
  renderLevelPanel();
  renderRoundPanel();
  renderMeatPanel();
  renderLadderPanel();
  renderConfirm();
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
  if (byLevels(model.auction)) renderLevelClock();
  if (roundView()) renderTurnClock();
  renderSubmit();
}

// ------------------------------------------------------------------------------------------------ start

async function start() {
  wireLanguageToggle(i18n);
  i18n.onChange(() => renderAll());
  $("bid-form").addEventListener("submit", onSubmit);
  $("accept-button").addEventListener("click", onAccept);
  $("pass-button").addEventListener("click", onPass);
  $("confirm-send").addEventListener("click", onConfirmSend);
  $("confirm-cancel").addEventListener("click", () => $("confirm-dialog").close("cancel"));
  $("confirm-dialog").addEventListener("close", onConfirmClosed);
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
