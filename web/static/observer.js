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
  byLevels,
  formatOf,
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
  // Quality weighting: the ladder is ordered by the ranked figure, shown beside the price total.
  const meat = !!model.auction?.rules?.meat;
  $("ladder-ranked-head").hidden = !meat;
  const blockedAliases = new Set(Array.isArray(s?.blocked) ? s.blocked : []);
  const best = ladder.length ? serverAmount(meat ? ladder[0].ranked : ladder[0].total, d) : null;
  const rows = ladder.map((entry) => {
    const tr = document.createElement("tr");
    tr.dataset.alias = entry.alias ?? "";
    tr.dataset.rank = String(entry.rank ?? "");
    const total = serverAmount(entry.total, d);
    // the gap to no. 1 is in the figure the ranking follows (the ranked figure with quality weighting)
    const figure = meat ? serverAmount(entry.ranked, d) : total;
    let gap = i18n.t("none");
    if (best !== null && figure !== null && figure > best) {
      gap = `+${money(figure - best)} (+${i18n.decimalText(percentText(figure - best, best))} %)`;
    }
    const alias = entry.alias ?? "";
    const blocked = blockedAliases.has(alias);
    tr.classList.toggle("blocked", blocked);
    const cells = [
      [String(entry.rank ?? ""), "num"],
      [blocked ? `${alias} (${i18n.t("obs_blocked_label").toLowerCase()})` : alias, ""],
      [money(total), "num"],
      ...(meat ? [[money(serverAmount(entry.ranked, d)), "num ranked"]] : []),
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

function aliasList(list) {
  return Array.isArray(list) && list.length ? list.join(", ") : i18n.t("obs_nobody");
}

function countdownTo(endsAt) {
  if (typeof endsAt !== "number" || model.state?.phase !== "open") return i18n.t("none");
  return i18n.countdown(endsAt - clock.now());
}

/** Japanese and Dutch: the level standing now, and who accepted it or dropped out (aliases). */
function renderLevel() {
  const panel = $("obs-level-panel");
  panel.hidden = !byLevels(model.auction);
  if (panel.hidden) return;
  const level = model.state?.level ?? null;
  const d = decimals();
  const el = $("obs-level");
  el.dataset.level = level ? String(level.level) : "";
  setText(
    el,
    level
      ? `${i18n.t("level_number", { number: level.number, of: level.of })} · ${i18n.t("level_percent", { pct: i18n.decimalText(level.percent) })}`
      : i18n.t("level_waiting"),
  );
  setText($("obs-level-total"), level ? money(serverAmount(level.total, d)) : i18n.t("none"));
  setText($("obs-level-time"), countdownTo(level?.ends_at));
  setText($("obs-accepted"), level ? aliasList(level.accepted) : i18n.t("none"));
  setText($("obs-out"), level ? aliasList(level.out) : i18n.t("none"));
}

/** Fixed turns: the stage or round, the order of this round and who is on turn (aliases). */
function renderRound() {
  const panel = $("obs-round-panel");
  const round = formatOf(model.auction) === "rounds" ? (model.state?.round ?? null) : null;
  panel.hidden = !round;
  if (!round) return;
  const turns = round.stage === "turns";
  setText($("obs-round"), turns ? i18n.t("round_of", { round: round.round, of: round.of }) : i18n.t("round_stage_initial"));
  setText($("obs-on-turn"), round.on_turn ?? i18n.t("obs_nobody"));
  setText($("obs-turn-time"), countdownTo(round.ends_at));
  const order = Array.isArray(round.order) ? round.order : [];
  $("obs-order").replaceChildren(
    ...order.map((alias) => {
      const li = document.createElement("li");
      const onTurn = alias === round.on_turn;
      li.dataset.onTurn = onTurn ? "true" : "false";
      li.textContent = onTurn ? `${alias} (${i18n.t("obs_on_turn_mark")})` : alias;
      return li;
    }),
  );
}

function renderBlocked() {
  const list = Array.isArray(model.state?.blocked) ? model.state.blocked : [];
  $("obs-blocked-box").hidden = list.length === 0;
  setText($("obs-blocked"), list.join(", "));
}

function renderStatus() {
  const s = model.state;
  renderPhase(i18n, s);
  const format = formatOf(model.auction);
  $("format").dataset.format = model.auction ? format : "";
  setText($("format"), model.auction ? i18n.t(`format_${format}`) : i18n.t("none"));
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
  renderLevel();
  renderRound();
  renderBlocked();
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
    if (byLevels(model.auction)) setText($("obs-level-time"), countdownTo(model.state?.level?.ends_at));
    if (formatOf(model.auction) === "rounds") setText($("obs-turn-time"), countdownTo(model.state?.round?.ends_at));
    renderConnection($("connection"), i18n, model.connection, !!model.fatal);
  }, 200);
}

start();
