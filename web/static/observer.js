// The observer page: an insurer watches one auction, read-only (docs/protocol.md, "Server → observer").
// Bidders appear under their alias only; the page sends nothing but pings.

import { I18n } from "./i18n.js";
import {
  Connection,
  PROTOCOL_VERSION,
  ServerClock,
  isPractice,
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
  setText,
  socketUrl,
  wireLanguageToggle,
} from "./common.js";

const i18n = new I18n();
const clock = new ServerClock();
const link = readLink("/observe/");
const $ = (id) => document.getElementById(id);

const model = { auction: null, state: null, connection: null, fatal: null, seenSeq: -1 };

function decimals() {
  return model.auction?.price_decimals ?? 2;
}

function money(units) {
  return units === null ? i18n.t("none") : i18n.money(units, decimals());
}

function renderLines() {
  const body = $("lines-body");
  const d = decimals();
  const rows = (model.auction?.lines ?? []).map((line) => {
    const tr = document.createElement("tr");
    tr.dataset.line = line.id;
    const product = document.createElement("th");
    product.scope = "row";
    product.className = "product";
    const desc = document.createElement("span");
    desc.className = "desc";
    desc.textContent = line.description ?? line.id;
    const unit = document.createElement("span");
    unit.className = "unit";
    unit.textContent = line.unit ? i18n.t("per_unit", { unit: line.unit }) : "";
    product.append(desc, unit);
    const volume = document.createElement("td");
    volume.className = "num";
    volume.dataset.label = i18n.t("col_volume");
    volume.textContent = i18n.integer(line.volume ?? 0);
    const ceiling = document.createElement("td");
    ceiling.className = "num";
    ceiling.dataset.label = i18n.t("col_ceiling");
    ceiling.textContent = money(serverAmount(line.ceiling, d));
    tr.append(product, volume, ceiling);
    return tr;
  });
  body.replaceChildren(...rows);
}

function renderLadder() {
  const s = model.state;
  const d = decimals();
  const ladder = Array.isArray(s?.ladder) ? s.ladder : [];
  const best = ladder.length ? serverAmount(ladder[0].total, d) : null;
  const rows = ladder.map((entry) => {
    const tr = document.createElement("tr");
    tr.dataset.alias = entry.alias ?? "";
    tr.dataset.rank = String(entry.rank ?? "");
    const total = serverAmount(entry.total, d);
    let gap = i18n.t("none");
    if (best !== null && total !== null && total > best) {
      gap = `+${money(total - best)} (+${i18n.decimalText(percentText(total - best, best))} %)`;
    }
    const cells = [
      [String(entry.rank ?? ""), "num"],
      [entry.alias ?? "", ""],
      [money(total), "num"],
      [typeof entry.at === "number" ? i18n.time(entry.at) : i18n.t("none"), "num"],
      [gap, "num"],
    ];
    for (const [text, className] of cells) {
      const td = document.createElement("td");
      if (className) td.className = className;
      td.textContent = text;
      tr.append(td);
    }
    return tr;
  });
  $("ladder").tBodies[0].replaceChildren(...rows);
  $("ladder-empty").hidden = ladder.length > 0 || !s;
}

function renderStatus() {
  const s = model.state;
  renderPhase(i18n, s);
  setText($("bid-count"), typeof s?.bid_count === "number" ? String(s.bid_count) : i18n.t("none"));
  setText($("seats"), typeof s?.seats === "number" ? String(s.seats) : i18n.t("none"));
  setText($("awarded"), s ? i18n.t(s.awarded ? "awarded_yes" : "awarded_no") : i18n.t("none"));
  setText($("extensions"), s?.extensions > 0 ? i18n.t("extensions_value", { n: s.extensions }) : "");
}

function renderAll() {
  i18n.translateStatic();
  const practice = isPractice(model.auction, model.state);
  renderPractice(i18n, practice);
  renderTitle(i18n, model.auction, model.state, practice);
  renderHeader(i18n, model.auction);
  if (model.auction) {
    renderRules(i18n, model.auction, "observer");
    renderLines();
  }
  renderStatus();
  renderLadder();
  renderClock(i18n, model.auction, model.state, clock);
  renderConnection($("connection"), i18n, model.connection, !!model.fatal);
  $("content").hidden = !!model.fatal;
  document.querySelector(".titlebar").hidden = !!model.fatal && !model.auction;
  if (model.fatal) renderFatal(i18n, model.fatal.key, model.fatal.params);
  else $("fatal").hidden = true;
}

function onMessage(msg) {
  clock.note(msg.server_time);
  switch (msg.type) {
    case "welcome":
      model.auction = msg.auction || null;
      model.seenSeq = -1;
      if (msg.protocol !== undefined && msg.protocol !== PROTOCOL_VERSION) {
        console.warn(`protocol ${msg.protocol}; this page speaks ${PROTOCOL_VERSION}`);
      }
      renderAll();
      break;
    case "observer_state":
      if (typeof msg.seq === "number") {
        if (msg.seq < model.seenSeq) return;
        model.seenSeq = msg.seq;
      }
      model.state = msg;
      renderAll();
      break;
    case "error":
      if (FATAL_ERROR_CODES.has(msg.code)) {
        if (msg.code.startsWith("session_") || msg.code === "invalid_session") forgetSession("observer", link.auctionId);
        model.fatal = { key: msg.code, params: {} };
        renderAll();
      }
      // anything else (a server that does not take pings from observers answers bad_message) changes nothing here
      break;
    default:
      break;
  }
}

function onStatus(status) {
  if (status === "failed" && !model.fatal) {
    model.fatal = { key: "fatal_other", params: { code: model.connection?.closeCode ?? "?" } };
    renderAll();
  }
  renderConnection($("connection"), i18n, model.connection, !!model.fatal);
}

async function start() {
  wireLanguageToggle(i18n);
  i18n.onChange(() => renderAll());
  if (!link.auctionId) {
    model.fatal = { key: "no_auction_id", params: {} };
    renderAll();
    return;
  }
  const opened = await openSession("observer", link);
  if (opened.error) {
    model.fatal = { key: opened.error, params: {} };
    renderAll();
    return;
  }
  model.connection = new Connection(socketUrl("observer", link.auctionId, opened.session), { onMessage, onStatus });
  renderAll();
  model.connection.start();
  window.setInterval(() => {
    renderClock(i18n, model.auction, model.state, clock);
    renderConnection($("connection"), i18n, model.connection, !!model.fatal);
  }, 200);
}

start();
