// Translations and locale-aware formatting for the bidder room and the observer page.
//
// Every string a user can see goes through this module. A table value is either a string with {name}
// placeholders or a function of the parameters (for plurals and compositions). A key missing from the
// English table falls back to Dutch, the product's main language, so a gap never shows as a bare key.

const STORAGE_KEY = "dieetveiling.lang";

const nl = {
  app_name: "Dieetvoeding · online inkoopveiling",
  observer_app_name: "Dieetvoeding · meekijken met de veiling",
  lang_toggle: "English",
  lang_toggle_label: "Switch to English",
  practice_banner: "OEFENVEILING — niet bindend. Biedingen in deze oefenveiling tellen niet mee.",
  title_default: "Veiling",
  title_practice_suffix: " (oefening)",
  loading: "Gegevens van de veiling worden geladen…",

  // connection
  conn_connecting: "verbinden…",
  conn_open: "verbonden",
  conn_retry: "verbinding verbroken — opnieuw verbinden over {s}…",
  conn_failed: "geen verbinding",
  conn_seconds: "{n} s",

  // launch and handshake failures
  fatal_title: "Geen toegang tot de veiling",
  no_token: "Deze link is onvolledig: de toegangscode (#token=…) ontbreekt. Open de volledige link uit uw uitnodiging.",
  no_auction_id: "Deze link is onvolledig: het veilingnummer ontbreekt in het adres.",
  invalid_invitation: "Deze uitnodigingslink is ongeldig of ingetrokken.",
  invitation_other_auction: "Deze uitnodiging hoort bij een andere veiling.",
  unknown_auction: "Deze veiling bestaat niet.",
  invitation_used:
    "Deze uitnodigingslink is al gebruikt om binnen te komen. Open de veilingruimte in dezelfde browser als eerst, of vraag de organisator om een nieuwe link.",
  invitation_expired: "Deze uitnodigingslink is verlopen. Vraag de organisator om een nieuwe link.",
  invalid_session: "Uw toegang is niet (meer) geldig. Open de link uit uw uitnodiging opnieuw of vraag de organisator om een nieuwe.",
  session_other_auction: "Uw toegang hoort bij een andere veiling.",
  session_revoked: "De organisator heeft uw toegang tot deze veiling ingetrokken.",
  session_expired: "Uw toegang tot deze veiling is verlopen.",
  session_unreachable: "De veilingserver is niet bereikbaar om uw toegang te openen. Probeer het zo opnieuw.",
  fatal_other: "De server weigert de verbinding (code {code}).",
  fatal_help: "Neem contact op met de organisator van de aanbesteding als u denkt dat dit niet klopt.",
  protocol_mismatch: "Deze pagina is gemaakt voor protocolversie {ours}; de server spreekt versie {theirs}. Herlaad de pagina.",

  // phases
  phase_label: "Fase",
  phase_scheduled: "gepland",
  phase_open: "open",
  phase_paused: "gepauzeerd",
  phase_closed: "gesloten",
  phase_intended: "gesloten (voornemen tot gunning)",
  phase_definitive: "gesloten (definitief gegund)",
  phase_signed: "gesloten (contract getekend)",
  phase_no_award: "gesloten (niet gegund)",
  phase_cancelled: "geannuleerd",
  phase_unknown: "onbekend ({phase})",
  phase_none: "—",
  announce_phase: "De veiling is nu: {phase}.",

  // clock
  time_left_label: "Resterende tijd",
  time_opens_in: "opent over {t}",
  time_opening: "opent zo…",
  time_not_scheduled: "nog niet geopend",
  time_paused: "gepauzeerd",
  time_closed: "gesloten",
  time_cancelled: "geannuleerd",
  time_closing: "00:00 — sluiting wordt verwerkt…",
  closes_at: "sluit om {time}",
  opens_at: "opent {when}",
  paused_note: "De organisator heeft de veiling gepauzeerd. De klok staat stil; bieden kan weer na hervatting.",
  days: (p) => (p.n === 1 ? "1 dag" : `${p.n} dagen`),

  // header and status
  lot_label: "Perceel",
  rank_label: "Stand",
  rank_none: "Nog geen bod geplaatst",
  rank_of: "Uw positie: {rank} van {count}",
  rank_only: "Uw positie: {rank}",
  rank_lead: "U heeft het laagste bod",
  rank_not_lead: "Er is een lager bod dan het uwe",
  last_total_label: "Uw laatste totaal",
  last_at: "geplaatst om {time}",
  none: "—",
  best_total_label: "Laagste totaal in de veiling",
  best_total_none: "nog geen biedingen",
  bidder_count_label: "Aantal bieders",
  extensions_label: "Verlengingen",
  extensions_value: (p) => (p.n === 1 ? "1 keer verlengd" : `${p.n} keer verlengd`),
  status_region: "Stand van de veiling",

  // lines and form
  form_title: "Uw nieuwe bod",
  form_intro: "Vul voor elke regel een prijs per eenheid in (excl. btw). Een komma of een punt als decimaalteken mag allebei.",
  col_product: "Product",
  col_volume: "Geschat jaarvolume",
  col_ceiling: "Maximumprijs",
  col_last_price: "Uw laatste prijs",
  col_new_price: "Nieuwe prijs per eenheid",
  col_line_total: "Regeltotaal",
  per_unit: "per {unit}",
  input_label: "Nieuwe prijs per {unit} voor {description}",
  total_label: "Nieuw totaal (volumegewogen)",
  total_incomplete: (p) => (p.n === 1 ? "nog 1 regel invullen" : `nog ${p.n} regels invullen`),
  total_max: "Maximaal toegestaan: {max}",
  total_within: "binnen het maximum van {max}",
  total_too_high: "{excess} te hoog — maximaal {max}",
  total_drop: "{amount} lager dan uw vorige totaal ({pct} %)",
  total_not_lower: "niet lager dan uw vorige totaal",
  total_same_as_last: "Dit zijn de prijzen van uw laatste bod. Verlaag ze om opnieuw te bieden; het nieuwe totaal mag hoogstens {max} zijn.",
  warn_big_drop: "Let op: {pct} % lager dan uw vorige totaal. Controleer uw prijzen.",
  warn_low_price: "Let op: veel lager dan de maximumprijs. Klopt dit?",
  submit: "Bod plaatsen",
  submit_busy: "bezig…",
  submit_hint_offline: "Bieden kan pas weer als de verbinding hersteld is.",
  submit_hint_not_open: "Bieden kan alleen zolang de veiling open is.",

  // client-side checks
  v_empty: "Vul een prijs in.",
  v_format: "Dit is geen bedrag. Schrijf bijvoorbeeld 2,35.",
  v_not_positive: "De prijs moet groter zijn dan € 0.",
  v_decimals: (p) =>
    p.d === 0 ? "Gebruik hele euro's, zonder decimalen." : `Gebruik hoogstens ${p.d} ${p.d === 1 ? "decimaal" : "decimalen"}.`,
  v_ceiling: "Hoger dan de maximumprijs van {ceiling}.",
  v_total: "Uw totaal {total} is {excess} te hoog. Het mag hoogstens {max} zijn: verlaag uw prijzen zodat het totaal minstens {excess} lager wordt.",
  v_summary_total_by: "Bod niet verstuurd: het totaal moet nog minstens {excess} omlaag (maximaal {max}).",
  v_summary: (p) =>
    p.n === 1
      ? "Bod niet verstuurd: controleer het gemarkeerde veld."
      : `Bod niet verstuurd: controleer de ${p.n} gemarkeerde velden.`,
  v_offline: "Bod niet verstuurd: er is geen verbinding met de veilingserver.",
  v_not_open: "Bod niet verstuurd: bieden kan alleen zolang de veiling open is.",
  v_closed_by_clock: "Bod niet verstuurd: de sluitingstijd is verstreken.",

  // sending and answers
  sending: "bezig… uw bod wordt verwerkt.",
  resending: "bezig… de verbinding was even weg; uw bod wordt opnieuw aangeboden.",
  resending_not_recorded: "bezig… de server kon uw bod niet vastleggen; het wordt nog één keer aangeboden.",
  accepted: "Bod ontvangen om {time} (Nederlandse tijd). Totaal: {total}.",
  accepted_receipt: "Ontvangstbewijs nr. {seq}, code {hash}…",
  accepted_earlier: "Uw bod van {total} was al ontvangen voordat de verbinding wegviel; het geldt. Het ontvangstnummer staat niet in deze sessie; uw laatste bod hieronder is het bewijs.",
  lost_bid: "De verbinding viel weg voordat uw bod bevestigd was, en het is niet bij de server aangekomen. Controleer uw prijzen en plaats het bod opnieuw.",
  rejected_prefix: "Bod niet geplaatst.",
  rej_not_open: "De veiling is nog niet geopend.",
  rej_paused: "De organisator heeft de veiling gepauzeerd. U kunt weer bieden zodra de veiling hervat.",
  rej_closed: "De veiling is gesloten.",
  rej_cancelled: "De veiling is geannuleerd.",
  rej_missing_line: "Voor elke regel is een prijs nodig. Zonder prijs: {lines}.",
  rej_unknown_line: "Het bod bevatte een regel die niet bij dit perceel hoort ({lines}). Herlaad de pagina en probeer het opnieuw.",
  rej_bad_price: (p) =>
    `De prijs voor ${p.line} is ongeldig: het moet een bedrag groter dan € 0 zijn met hoogstens ${p.d} ${p.d === 1 ? "decimaal" : "decimalen"}.`,
  rej_above_ceiling: "De prijs voor {line} is hoger dan de maximumprijs van {ceiling}.",
  rej_decrement_too_small:
    "Uw totaal {total} moet {max_total} zijn of lager (uw vorige totaal {previous_total} min de minimale verlaging van {decrement}).",
  rej_decrement_too_small_short: "Uw totaal moet lager zijn: de minimale verlaging ten opzichte van uw vorige bod is niet gehaald.",
  rej_duplicate_bid_id: "Het kenmerk van dit bod was al gebruikt voor een ander bod. Plaats het bod opnieuw; het krijgt dan een nieuw kenmerk.",
  rej_busy: "De veilingserver is op dit moment erg druk en heeft niets vastgelegd. Plaats het bod opnieuw.",
  rej_unknown_bidder: "U heeft geen plaats in deze veiling. Neem contact op met de organisator.",
  rej_fallback: "Reden volgens de server: {message}",
  err_bad_message: "De server begreep het laatste bericht niet ({message}). Herlaad de pagina als dit blijft gebeuren.",
  err_busy: "De veilingserver is op dit moment druk en heeft uw bod niet verwerkt. Plaats het bod opnieuw.",
  err_not_recorded: "Door een storing bij de server is uw bod niet vastgelegd; het telt niet. Plaats het bod opnieuw.",
  err_other: "Foutmelding van de server: {message}",

  // receipts
  receipts_title: "Uw ontvangstbewijzen",
  receipts_session: "in deze sessie",
  receipts_empty: "Nog geen bod bevestigd in deze sessie.",
  receipt_item: "{time} · {total}",
  receipt_ref: "nr. {seq} · {hash}…",
  receipt_ref_unknown: "ontvangstnummer niet beschikbaar",
  receipt_hash_title: "Volledige code van de journaalregel: {hash}",

  // rules
  rules_title: "Spelregels",
  rule_weighted:
    "U biedt een prijs per eenheid voor elke regel. De volgorde wordt bepaald door het volumegewogen totaal: de som over alle regels van prijs × geschat jaarvolume. Het laagste totaal staat op positie 1.",
  rule_ceiling: "Geen prijs mag hoger zijn dan de maximumprijs van zijn regel (zie de tabel). Het hoogst mogelijke totaal is daarmee {ceiling_total}.",
  rule_decimals: (p) =>
    p.d === 0
      ? "Prijzen in hele euro's, zonder btw."
      : `Prijzen in euro zonder btw, met hoogstens ${p.d} ${p.d === 1 ? "decimaal" : "decimalen"}.`,
  rule_decrement_percent: "Elk nieuw bod moet minstens {pct} % lager zijn dan uw eigen vorige totaal.",
  rule_decrement_amount: "Elk nieuw bod moet minstens {amount} lager zijn dan uw eigen vorige totaal.",
  rule_extension: "Een bod dat in de laatste {window} de leiding neemt, verlengt de veiling tot {ext} na dat bod.",
  rule_extension_cap: (p) => (p.n === 1 ? "Dat gebeurt hoogstens 1 keer." : `Dat gebeurt hoogstens ${p.n} keer.`),
  rule_no_extension: "De veiling wordt niet verlengd: zij sluit op het vastgestelde tijdstip.",
  rule_tie: "Bij gelijke totalen gaat het eerdere bod voor.",
  rule_visibility_own: "U ziet altijd uw eigen positie.",
  rule_visibility_count: "U ziet altijd uw eigen positie en het aantal bieders.",
  rule_visibility_best: "U ziet altijd uw eigen positie en het laagste totaal in de veiling.",
  rule_visibility_both: "U ziet altijd uw eigen positie, het aantal bieders en het laagste totaal in de veiling.",
  rule_anonymous: "De identiteit van andere bieders wordt nooit getoond, in geen enkele fase.",
  rule_receipt: "Een bod geldt pas als u het ontvangstbewijs ziet (tijd, totaal en ontvangstnummer).",
  rule_schedule: "Geplande opening: {when}; duur {duration}, plus eventuele verlengingen.",
  rule_clock: "Alle tijden zijn Nederlandse tijd volgens de klok van de veilingserver.",
  rule_practice: "Dit is een oefenveiling met dezelfde regels als de echte veiling. Niets hieruit is bindend.",
  // the observer's wording of the same rules
  obs_rule_weighted:
    "Bieders geven een prijs per eenheid voor elke regel. De volgorde wordt bepaald door het volumegewogen totaal (prijs × geschat jaarvolume, opgeteld). Het laagste totaal staat op positie 1.",
  obs_rule_decrement_percent: "Elk nieuw bod van een bieder moet minstens {pct} % lager zijn dan diens eigen vorige totaal.",
  obs_rule_decrement_amount: "Elk nieuw bod van een bieder moet minstens {amount} lager zijn dan diens eigen vorige totaal.",
  obs_rule_visibility_own: "Bieders zien hun eigen positie, nooit de namen van anderen.",
  obs_rule_visibility_count: "Bieders zien hun eigen positie en het aantal bieders, nooit de namen van anderen.",
  obs_rule_visibility_best: "Bieders zien hun eigen positie en het laagste totaal, nooit de namen van anderen.",
  obs_rule_visibility_both: "Bieders zien hun eigen positie, het aantal bieders en het laagste totaal, nooit de namen van anderen.",
  obs_rule_aliases: "U ziet bieders onder een schuilnaam (Bieder A, Bieder B, …), niet onder hun bedrijfsnaam.",

  // durations
  dur_hours: (p) => `${p.n} uur`,
  dur_minutes: (p) => (p.n === 1 ? "1 minuut" : `${p.n} minuten`),
  dur_seconds: (p) => (p.n === 1 ? "1 seconde" : `${p.n} seconden`),
  dur_join: " en ",

  // observer
  observer_badge: "Alleen meekijken",
  ladder_title: "Ranglijst (geanonimiseerd)",
  ladder_rank: "Positie",
  ladder_alias: "Bieder",
  ladder_total: "Totaal",
  ladder_at: "Tijdstip bod",
  ladder_gap: "Verschil met nr. 1",
  ladder_empty: "Nog geen biedingen.",
  bid_count_label: "Aantal biedingen",
  seats_label: "Toegelaten bieders",
  awarded_label: "Gunning",
  awarded_yes: "gegund",
  awarded_no: "nog niet gegund",
  lines_title: "Productregels van dit perceel",
};

const en = {
  app_name: "Medical nutrition · online procurement auction",
  observer_app_name: "Medical nutrition · watching the auction",
  lang_toggle: "Nederlands",
  lang_toggle_label: "Schakel naar Nederlands",
  practice_banner: "PRACTICE AUCTION — not binding. Bids in this practice auction do not count.",
  title_default: "Auction",
  title_practice_suffix: " (practice)",
  loading: "Loading the auction…",

  conn_connecting: "connecting…",
  conn_open: "connected",
  conn_retry: "connection lost — reconnecting in {s}…",
  conn_failed: "not connected",
  conn_seconds: "{n} s",

  fatal_title: "No access to the auction",
  no_token: "This link is incomplete: the access code (#token=…) is missing. Open the complete link from your invitation.",
  no_auction_id: "This link is incomplete: the auction number is missing from the address.",
  invalid_invitation: "This invitation link is invalid or has been revoked.",
  invitation_other_auction: "This invitation belongs to another auction.",
  unknown_auction: "This auction does not exist.",
  invitation_used:
    "This invitation link was already used to enter. Open the room in the same browser as before, or ask the organiser for a new link.",
  invitation_expired: "This invitation link has expired. Ask the organiser for a new link.",
  invalid_session: "Your access is not (or no longer) valid. Open your invitation link again or ask the organiser for a new one.",
  session_other_auction: "Your access belongs to another auction.",
  session_revoked: "The organiser has revoked your access to this auction.",
  session_expired: "Your access to this auction has expired.",
  session_unreachable: "The auction server cannot be reached to open your access. Please try again shortly.",
  fatal_other: "The server refuses the connection (code {code}).",
  fatal_help: "Please contact the organiser of the tender if you think this is wrong.",
  protocol_mismatch: "This page was made for protocol version {ours}; the server speaks version {theirs}. Please reload the page.",

  phase_label: "Phase",
  phase_scheduled: "scheduled",
  phase_open: "open",
  phase_paused: "paused",
  phase_closed: "closed",
  phase_intended: "closed (intention to award)",
  phase_definitive: "closed (award definitive)",
  phase_signed: "closed (contract signed)",
  phase_no_award: "closed (no award)",
  phase_cancelled: "cancelled",
  phase_unknown: "unknown ({phase})",
  phase_none: "—",
  announce_phase: "The auction is now: {phase}.",

  time_left_label: "Time left",
  time_opens_in: "opens in {t}",
  time_opening: "opening…",
  time_not_scheduled: "not open yet",
  time_paused: "paused",
  time_closed: "closed",
  time_cancelled: "cancelled",
  time_closing: "00:00 — closing…",
  closes_at: "closes at {time}",
  opens_at: "opens {when}",
  paused_note: "The organiser has paused the auction. The clock stands still; bidding resumes when the auction does.",
  days: (p) => (p.n === 1 ? "1 day" : `${p.n} days`),

  lot_label: "Lot",
  rank_label: "Standing",
  rank_none: "No bid placed yet",
  rank_of: "Your rank: {rank} of {count}",
  rank_only: "Your rank: {rank}",
  rank_lead: "You have the lowest bid",
  rank_not_lead: "There is a lower bid than yours",
  last_total_label: "Your last total",
  last_at: "placed at {time}",
  none: "—",
  best_total_label: "Lowest total in the auction",
  best_total_none: "no bids yet",
  bidder_count_label: "Number of bidders",
  extensions_label: "Extensions",
  extensions_value: (p) => (p.n === 1 ? "extended once" : `extended ${p.n} times`),
  status_region: "Auction status",

  form_title: "Your new bid",
  form_intro: "Enter a price per unit for every line (excluding VAT). Either a comma or a point works as decimal separator.",
  col_product: "Product",
  col_volume: "Estimated yearly volume",
  col_ceiling: "Ceiling price",
  col_last_price: "Your last price",
  col_new_price: "New price per unit",
  col_line_total: "Line total",
  per_unit: "per {unit}",
  input_label: "New price per {unit} for {description}",
  total_label: "New total (volume-weighted)",
  total_incomplete: (p) => (p.n === 1 ? "1 line still empty" : `${p.n} lines still empty`),
  total_max: "Maximum allowed: {max}",
  total_within: "within the maximum of {max}",
  total_too_high: "{excess} too high — at most {max}",
  total_drop: "{amount} below your previous total ({pct} %)",
  total_not_lower: "not lower than your previous total",
  total_same_as_last: "These are the prices of your last bid. Lower them to bid again; the new total may be at most {max}.",
  warn_big_drop: "Careful: {pct} % below your previous total. Please check your prices.",
  warn_low_price: "Careful: far below the ceiling price. Is this right?",
  submit: "Place bid",
  submit_busy: "working…",
  submit_hint_offline: "Bidding is possible again once the connection is back.",
  submit_hint_not_open: "Bidding is only possible while the auction is open.",

  v_empty: "Enter a price.",
  v_format: "This is not an amount. Write, for example, 2.35.",
  v_not_positive: "The price must be more than € 0.",
  v_decimals: (p) =>
    p.d === 0 ? "Use whole euros, without decimals." : `Use at most ${p.d} ${p.d === 1 ? "decimal" : "decimals"}.`,
  v_ceiling: "Above the ceiling price of {ceiling}.",
  v_total: "Your total {total} is {excess} too high. It may be at most {max}: lower your prices so that the total drops by at least {excess}.",
  v_summary_total_by: "Bid not sent: the total must come down by at least {excess} more (at most {max}).",
  v_summary: (p) =>
    p.n === 1 ? "Bid not sent: please check the marked field." : `Bid not sent: please check the ${p.n} marked fields.`,
  v_offline: "Bid not sent: there is no connection to the auction server.",
  v_not_open: "Bid not sent: bidding is only possible while the auction is open.",
  v_closed_by_clock: "Bid not sent: the closing time has passed.",

  sending: "working… your bid is being processed.",
  resending: "working… the connection dropped for a moment; your bid is being offered again.",
  resending_not_recorded: "working… the server could not record your bid; it is being offered once more.",
  accepted: "Bid received at {time} (Dutch time). Total: {total}.",
  accepted_receipt: "Receipt no. {seq}, code {hash}…",
  accepted_earlier: "Your bid of {total} had already been received before the connection dropped; it stands. Its receipt number is not in this session; your last bid below is the proof.",
  lost_bid: "The connection dropped before your bid was confirmed, and it did not reach the server. Please check your prices and place the bid again.",
  rejected_prefix: "Bid not placed.",
  rej_not_open: "The auction has not opened yet.",
  rej_paused: "The organiser has paused the auction. You can bid again as soon as it resumes.",
  rej_closed: "The auction is closed.",
  rej_cancelled: "The auction was cancelled.",
  rej_missing_line: "Every line needs a price. Without a price: {lines}.",
  rej_unknown_line: "The bid contained a line that is not part of this lot ({lines}). Please reload the page and try again.",
  rej_bad_price: (p) =>
    `The price for ${p.line} is invalid: it must be an amount above € 0 with at most ${p.d} ${p.d === 1 ? "decimal" : "decimals"}.`,
  rej_above_ceiling: "The price for {line} is above the ceiling price of {ceiling}.",
  rej_decrement_too_small:
    "Your total {total} must be {max_total} or lower (your previous total {previous_total} minus the minimum decrement of {decrement}).",
  rej_decrement_too_small_short: "Your total must be lower: the minimum decrement below your previous bid was not reached.",
  rej_duplicate_bid_id: "This bid's identifier had already been used for a different bid. Place the bid again; it will get a new identifier.",
  rej_busy: "The auction server is very busy right now and recorded nothing. Please place the bid again.",
  rej_unknown_bidder: "You have no seat in this auction. Please contact the organiser.",
  rej_fallback: "Reason given by the server: {message}",
  err_bad_message: "The server did not understand the last message ({message}). Reload the page if this keeps happening.",
  err_busy: "The auction server is busy right now and did not process your bid. Please place it again.",
  err_not_recorded: "Because of a fault at the server your bid was not recorded; it does not count. Please place it again.",
  err_other: "Error from the server: {message}",

  receipts_title: "Your receipts",
  receipts_session: "in this session",
  receipts_empty: "No bid confirmed in this session yet.",
  receipt_item: "{time} · {total}",
  receipt_ref: "no. {seq} · {hash}…",
  receipt_ref_unknown: "receipt number not available",
  receipt_hash_title: "Full code of the journal entry: {hash}",

  rules_title: "Rules",
  rule_weighted:
    "You bid a price per unit for every line. The ranking follows the volume-weighted total: the sum over all lines of price × estimated yearly volume. The lowest total is rank 1.",
  rule_ceiling: "No price may be above its line's ceiling price (see the table). The highest possible total is therefore {ceiling_total}.",
  rule_decimals: (p) =>
    p.d === 0
      ? "Prices in whole euros, excluding VAT."
      : `Prices in euros excluding VAT, with at most ${p.d} ${p.d === 1 ? "decimal" : "decimals"}.`,
  rule_decrement_percent: "Every new bid must be at least {pct} % below your own previous total.",
  rule_decrement_amount: "Every new bid must be at least {amount} below your own previous total.",
  rule_extension: "A bid that takes the lead in the last {window} extends the auction to {ext} after that bid.",
  rule_extension_cap: (p) => (p.n === 1 ? "This happens at most once." : `This happens at most ${p.n} times.`),
  rule_no_extension: "The auction is not extended: it closes at the set time.",
  rule_tie: "When totals are equal, the earlier bid ranks first.",
  rule_visibility_own: "You always see your own rank.",
  rule_visibility_count: "You always see your own rank and the number of bidders.",
  rule_visibility_best: "You always see your own rank and the lowest total in the auction.",
  rule_visibility_both: "You always see your own rank, the number of bidders and the lowest total in the auction.",
  rule_anonymous: "The identities of other bidders are never shown, in any phase.",
  rule_receipt: "A bid counts only once you see its receipt (time, total and receipt number).",
  rule_schedule: "Scheduled opening: {when}; duration {duration}, plus any extensions.",
  rule_clock: "All times are Dutch time, on the auction server's clock.",
  rule_practice: "This is a practice auction with the same rules as the real one. Nothing in it is binding.",
  obs_rule_weighted:
    "Bidders give a price per unit for every line. The ranking follows the volume-weighted total (price × estimated yearly volume, summed). The lowest total is rank 1.",
  obs_rule_decrement_percent: "Every new bid of a bidder must be at least {pct} % below that bidder's own previous total.",
  obs_rule_decrement_amount: "Every new bid of a bidder must be at least {amount} below that bidder's own previous total.",
  obs_rule_visibility_own: "Bidders see their own rank, never the names of others.",
  obs_rule_visibility_count: "Bidders see their own rank and the number of bidders, never the names of others.",
  obs_rule_visibility_best: "Bidders see their own rank and the lowest total, never the names of others.",
  obs_rule_visibility_both: "Bidders see their own rank, the number of bidders and the lowest total, never the names of others.",
  obs_rule_aliases: "You see bidders under an alias (Bieder A, Bieder B, …), not under their company name.",

  dur_hours: (p) => (p.n === 1 ? "1 hour" : `${p.n} hours`),
  dur_minutes: (p) => (p.n === 1 ? "1 minute" : `${p.n} minutes`),
  dur_seconds: (p) => (p.n === 1 ? "1 second" : `${p.n} seconds`),
  dur_join: " and ",

  observer_badge: "Watching only",
  ladder_title: "Ranking (anonymised)",
  ladder_rank: "Rank",
  ladder_alias: "Bidder",
  ladder_total: "Total",
  ladder_at: "Time of bid",
  ladder_gap: "Difference to no. 1",
  ladder_empty: "No bids yet.",
  bid_count_label: "Number of bids",
  seats_label: "Admitted bidders",
  awarded_label: "Award",
  awarded_yes: "awarded",
  awarded_no: "not awarded yet",
  lines_title: "Product lines of this lot",
};

export const TABLES = { nl, en };

const LOCALES = { nl: "nl-NL", en: "en-GB" };
const SEPARATORS = { nl: { group: ".", decimal: "," }, en: { group: ",", decimal: "." } };
const TIME_ZONE = "Europe/Amsterdam";

/** The language to start with: `?lang=` in the query, else the remembered choice, else Dutch. */
export function initialLanguage() {
  const fromQuery = new URLSearchParams(window.location.search).get("lang");
  if (fromQuery && fromQuery in TABLES) return fromQuery;
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (stored && stored in TABLES) return stored;
  } catch {
    // storage may be disabled (private mode, policy); the default is fine then
  }
  return "nl";
}

function dateTimeFormat(locale, options) {
  try {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone: TIME_ZONE });
  } catch {
    // a browser without time-zone data: show local time rather than nothing
    return new Intl.DateTimeFormat(locale, options);
  }
}

export class I18n {
  constructor(lang = initialLanguage()) {
    this.listeners = [];
    this.apply(lang);
  }

  apply(lang) {
    this.lang = lang in TABLES ? lang : "nl";
    const locale = LOCALES[this.lang];
    this.sep = SEPARATORS[this.lang];
    this.timeFormat = dateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
    this.dateTimeFormatter = dateTimeFormat(locale, {
      weekday: "short",
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    document.documentElement.lang = this.lang;
  }

  /** Switch language, remember it, drop a `?lang=` that would otherwise override the choice on reload. */
  setLanguage(lang) {
    this.apply(lang);
    try {
      window.localStorage.setItem(STORAGE_KEY, this.lang);
    } catch {
      // not remembered; the toggle still works for this page
    }
    const url = new URL(window.location.href);
    if (url.searchParams.has("lang")) {
      url.searchParams.delete("lang");
      window.history.replaceState(null, "", url.pathname + url.search + url.hash);
    }
    for (const listener of this.listeners) listener(this.lang);
  }

  onChange(listener) {
    this.listeners.push(listener);
  }

  other() {
    return this.lang === "nl" ? "en" : "nl";
  }

  t(key, params = {}) {
    const value = TABLES[this.lang][key] ?? TABLES.nl[key];
    if (value === undefined) return key;
    if (typeof value === "function") return value(params);
    return value.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
  }

  /** Whole number with grouping: 2400000 → "2.400.000" (nl) or "2,400,000" (en). */
  integer(value) {
    const text = BigInt(value).toString();
    const negative = text.startsWith("-");
    const digits = negative ? text.slice(1) : text;
    return (negative ? "-" : "") + digits.replace(/\B(?=(\d{3})+(?!\d))/g, this.sep.group);
  }

  /** Exact amount from integer units: (123456789n, 2) → "1.234.567,89". */
  amount(units, decimals) {
    const negative = units < 0n;
    const digits = (negative ? -units : units).toString().padStart(decimals + 1, "0");
    const whole = digits.slice(0, digits.length - decimals);
    const frac = decimals > 0 ? digits.slice(digits.length - decimals) : "";
    const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, this.sep.group);
    return (negative ? "-" : "") + grouped + (frac ? this.sep.decimal + frac : "");
  }

  /** Money for people: "€ 1.234.567,89" (nl), "€1,234,567.89" (en). */
  money(units, decimals) {
    const body = this.amount(units, decimals);
    return this.lang === "nl" ? `€ ${body}` : `€${body}`;
  }

  /** A decimal string in the locale's notation, without grouping: "0.5" → "0,5" (nl). */
  decimalText(text) {
    return String(text).replace(".", this.sep.decimal);
  }

  time(ms) {
    return this.timeFormat.format(new Date(ms));
  }

  dateTime(ms) {
    return this.dateTimeFormatter.format(new Date(ms));
  }

  /** Seconds in words: 120 → "2 minuten", 90 → "1 minuut en 30 seconden". */
  duration(totalSeconds) {
    const s = Math.max(0, Math.round(totalSeconds));
    const parts = [];
    const hours = Math.floor(s / 3600);
    const minutes = Math.floor((s % 3600) / 60);
    const seconds = s % 60;
    if (hours) parts.push(this.t("dur_hours", { n: hours }));
    if (minutes) parts.push(this.t("dur_minutes", { n: minutes }));
    if (seconds || parts.length === 0) parts.push(this.t("dur_seconds", { n: seconds }));
    if (parts.length === 1) return parts[0];
    return parts.slice(0, -1).join(", ") + this.t("dur_join") + parts[parts.length - 1];
  }

  /** A countdown: mm:ss below an hour, hh:mm:ss below a day, "2 dagen 03:04:05" beyond. Rounds up. */
  countdown(ms) {
    const total = Math.max(0, Math.ceil(ms / 1000));
    const days = Math.floor(total / 86400);
    const hours = Math.floor((total % 86400) / 3600);
    const minutes = Math.floor((total % 3600) / 60);
    const seconds = total % 60;
    const two = (n) => String(n).padStart(2, "0");
    const clock = total >= 3600 ? `${two(hours)}:${two(minutes)}:${two(seconds)}` : `${two(minutes)}:${two(seconds)}`;
    return days > 0 ? `${this.t("days", { n: days })} ${clock}` : clock;
  }

  /** Fill every element with `data-i18n="key"` (text) and `data-i18n-title="key"` (tooltip). */
  translateStatic(root = document) {
    for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = this.t(el.dataset.i18n);
    for (const el of root.querySelectorAll("[data-i18n-title]")) el.title = this.t(el.dataset.i18nTitle);
    for (const el of root.querySelectorAll("[data-i18n-aria]")) el.setAttribute("aria-label", this.t(el.dataset.i18nAria));
  }
}
