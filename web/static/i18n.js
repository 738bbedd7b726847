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
  total_same_as_last_changed:
    "Dit is het totaal van uw laatste bod. Vul een lagere prijs in bij de regels die u wijzigt; het nieuwe totaal mag hoogstens {max} zijn.",
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

  // formats
  format_label: "Veilingvorm",
  format_english: "Engelse veiling (omgekeerd)",
  format_japanese: "Japanse veiling",
  format_dutch: "Hollandse veiling",
  format_rounds: "Vaste beurten",
  figure_total: "totaal",
  figure_ranked: "rangschikkingsbedrag",

  // rules, per format and option
  rule_format_english:
    "Veilingvorm: Engelse veiling (omgekeerd). U verlaagt zelf uw prijzen, zo vaak als u wilt zolang de veiling open is.",
  rule_format_japanese:
    "Veilingvorm: Japanse veiling. De prijs begint bij de maximumprijs en daalt elke {interval} één niveau. Wie in de veiling wil blijven, accepteert elk niveau voordat het afloopt; wie een niveau niet op tijd accepteert, valt definitief af. Blijft er na een niveau één bieder over, dan wint die tegen dat niveau.",
  rule_format_dutch:
    "Veilingvorm: Hollandse veiling. De prijs begint laag en stijgt elke {interval} één niveau, tot hoogstens de maximumprijs. De eerste bieder die een niveau accepteert, wint tegen dat niveau; de veiling sluit dan direct.",
  rule_format_rounds: (p) =>
    `Veilingvorm: vaste beurten. Eerst is er een verzegelde fase van ${p.initial} voor eerste biedingen, waarin u niets van anderen ziet. ` +
    `Daarna ${p.rounds === 1 ? "volgt 1 ronde" : `volgen ${p.rounds} rondes`}; in elke ronde krijgt elke bieder één beurt van ${p.turn}, ` +
    "de slechtst geplaatste bieder eerst (bieders zonder bod vóór alle anderen). In uw beurt verlaagt u uw bod (één bod, dat uw beurt beëindigt) " +
    "of handhaaft u het met ‘Bod handhaven’; een beurt die afloopt, telt als handhaven. De veiling sluit na de laatste beurt van de laatste ronde.",
  rule_weighted_meat:
    "U biedt een prijs per eenheid voor elke regel. Uw totaal is de som over alle regels van prijs × geschat jaarvolume. De volgorde wordt bepaald door het rangschikkingsbedrag (zie de prijs-kwaliteitregel); het laagste staat op positie 1.",
  rule_levels_prices:
    "Een niveau is een percentage van de maximumprijs van elke regel (afgerond op de kleinste eenheid); het totaal is volumegewogen (prijs × geschat jaarvolume, opgeteld). U typt geen prijzen: u accepteert een niveau met de knop ‘Accepteren’.",
  obs_rule_levels_prices:
    "Een niveau is een percentage van de maximumprijs van elke regel (afgerond op de kleinste eenheid); het totaal is volumegewogen. Bieders typen geen prijzen: zij accepteren een niveau.",
  rule_levels_table: (p) => `Aangekondigde niveaus (elk niveau staat ${p.interval}):`,
  levels_col_number: "Niveau",
  levels_col_percent: "% van maximumprijs",
  levels_col_total: "Totaal",
  rule_decrement_percent_best: "Elk nieuw bod moet minstens {pct} % lager zijn dan uw eigen vorige totaal én minstens {pct} % onder het beste bod in de veiling liggen.",
  rule_decrement_amount_best: "Elk nieuw bod moet minstens {amount} lager zijn dan uw eigen vorige totaal én minstens {amount} onder het beste bod in de veiling liggen.",
  rule_decrement_best_meat: "Het verschil met het beste bod wordt gemeten in het rangschikkingsbedrag.",
  rule_bid_lines_all: "Elk bod bevat een prijs voor elke regel.",
  rule_bid_lines_changed:
    "Uw eerste bod bevat een prijs voor elke regel. Daarna vult u alleen de regels in die u wijzigt; een lege regel houdt uw vorige prijs.",
  rule_tie_refused: "Een bod met precies hetzelfde {figure} als een ander bod wordt geweigerd: gelijke biedingen zijn niet toegestaan.",
  rule_tie_earlier: "Bij een gelijk {figure} gaat het eerdere bod voor.",
  rule_tie_earliest_acceptance:
    "Accepteert niemand het volgende niveau, of wordt het laagste niveau met meer bieders bereikt, dan wint van de bieders die het laatste niveau accepteerden degene die dat het eerst deed.",
  rule_far_below:
    "Ligt een bod meer dan {pct} % onder het vergelijkingsbedrag (het beste bod als u dat ziet, anders uw eigen vorige bod, anders het hoogst mogelijke totaal), dan vraagt de veilingruimte eerst om uw bevestiging. Zo wordt een tikfout niet ongemerkt een bindend bod.",
  rule_reserve: "Er geldt een reserveprijs die niet bekend wordt gemaakt. Ligt het beste bod daarboven, dan kan de organisator afzien van gunning.",
  obs_rule_reserve: "Er geldt een reserveprijs; bieders kennen het bedrag niet. Ligt het beste bod daarboven, dan kan de organisator afzien van gunning.",
  rule_ext_trigger_improving: "Elk geldig bod in de laatste {window}",
  rule_ext_trigger_lead: "Een bod dat in de laatste {window} de leiding neemt,",
  rule_ext_trigger_top_k: (p) =>
    `Een bod dat in de laatste ${p.window} ${p.k === 1 ? "op positie 1" : `bij de beste ${p.k} posities`} terechtkomt,`,
  rule_ext_from_bid: "verlengt de veiling tot {ext} na dat bod.",
  rule_ext_from_close: "verlengt de veiling met {ext}, gerekend vanaf de geldende sluitingstijd.",
  rule_closing_quiet:
    "De veiling sluit zodra er {quiet} lang geen geldig bod is geplaatst (stille periode); elk geldig bod start die periode opnieuw. Uiterlijk sluit de veiling {duration} na de opening.",
  rule_visibility_ladder: "U ziet de volledige ranglijst van alle biedingen, zonder namen; uw eigen regel is gemarkeerd.",
  obs_rule_visibility_ladder: "Bieders zien de volledige ranglijst van alle biedingen zonder namen, met hun eigen regel gemarkeerd.",
  rule_sealed: "Verzegelde veiling: u ziet alleen uw eigen biedingen. Uw positie, het aantal bieders en de biedingen van anderen worden niet getoond.",
  obs_rule_sealed: "Verzegelde veiling: bieders zien alleen hun eigen biedingen, geen positie en niets van anderen.",
  rule_visibility_japanese_count: "U ziet bij elk niveau hoeveel bieders nog in de veiling zijn, nooit wie.",
  rule_visibility_japanese_none: "U ziet niet hoeveel of welke bieders nog in de veiling zijn.",
  rule_visibility_dutch: "U ziet niets van andere bieders; de veiling sluit zodra iemand een niveau accepteert.",
  obs_rule_visibility_levels: "Bieders zien het huidige niveau en hun eigen status, nooit de namen van anderen.",
  rule_meat_factor:
    "Gunning op beste prijs-kwaliteitverhouding: rangschikkingsbedrag = totaal × (1 − {max} % × kwaliteitsscore ÷ 100). Een hogere kwaliteitsscore verlaagt het rangschikkingsbedrag.",
  rule_meat_bonus:
    "Gunning op beste prijs-kwaliteitverhouding: rangschikkingsbedrag = totaal − {bonus} × kwaliteitsscore. Een hogere kwaliteitsscore verlaagt het rangschikkingsbedrag.",
  rule_meat_own_factor: "Uw kwaliteitsscore is {score}; uw factor is {weight}.",
  rule_meat_own_bonus: "Uw kwaliteitsscore is {score}; uw bonus is {weight}.",
  rule_schedule_opening: "Geplande opening: {when}.",

  // format label in the status strip and the clock
  closes_level_at: "niveau loopt af om {time}",
  closes_initial_at: "eerste biedingen tot {time}",
  closes_turn_at: "beurt eindigt om {time}",
  time_next_level: "00:00 — volgend niveau…",
  time_next_turn: "00:00 — volgende beurt…",

  // Japanese and Dutch
  level_title: "Huidig prijsniveau",
  level_waiting: "Het eerste niveau start bij de opening van de veiling.",
  level_number: "Niveau {number} van {of}",
  level_percent: "{pct} % van de maximumprijs",
  level_total_label: "Totaal bij dit niveau",
  level_time_label: "Dit niveau loopt af over",
  col_level_price: "Prijs bij dit niveau",
  accept_button: "Accepteren",
  accept_button_label: "Niveau {number} accepteren: totaal {total}",
  accept_busy: "bezig…",
  level_status_open_japanese: "Accepteer dit niveau voordat het afloopt om in de veiling te blijven.",
  level_status_open_dutch: "Wie dit niveau als eerste accepteert, wint tegen deze prijs.",
  level_status_accepted: "U heeft niveau {number} geaccepteerd. Wacht op het volgende niveau.",
  level_status_accepted_dutch: "U heeft niveau {number} geaccepteerd.",
  level_status_out: "U bent uitgevallen: u heeft een niveau niet op tijd geaccepteerd. U kunt in deze veiling niet meer bieden.",
  level_status_closed: "De veiling is gesloten.",
  level_status_out_closed: "De veiling is gesloten. U bent uitgevallen: u heeft een niveau niet op tijd geaccepteerd.",
  level_status_closed_won: "De veiling is gesloten. U staat op positie 1 met uw laatst geaccepteerde niveau.",
  level_status_blocked: "Uw bieden is geblokkeerd.",
  bidders_in: (p) => (p.n === 1 ? "Nog 1 bieder in de veiling" : `Nog ${p.n} bieders in de veiling`),
  standing_in: "In de veiling",
  standing_out: "Uitgevallen",
  standing_accepted: "Niveau geaccepteerd",
  accepted_level: "Niveau {number} geaccepteerd om {time} (Nederlandse tijd). Totaal: {total}.",
  sending_accept: "bezig… uw acceptatie wordt verwerkt.",
  rejected_accept_prefix: "Niet geaccepteerd.",

  // rounds
  round_title: "Beurten",
  round_stage_initial: "Eerste biedingen (verzegeld)",
  round_of: "Ronde {round} van {of}",
  round_waiting: "De veiling begint met een verzegelde fase voor eerste biedingen.",
  turn_initial: "Plaats uw eerste bod. In deze fase ziet u niets van andere bieders.",
  turn_yours: "U bent aan de beurt. Verlaag uw bod of handhaaf het.",
  turn_waiting: "Uw beurt is nummer {k} van {n} in deze ronde (nu is beurt {position} bezig).",
  turn_done: "U heeft uw beurt in deze ronde gehad.",
  turn_none: "U heeft in deze ronde geen beurt.",
  turn_time_initial: "Eerste biedingen sluiten over",
  turn_time_yours: "Uw beurt eindigt over",
  turn_time_other: "Huidige beurt eindigt over",
  pass_button: "Bod handhaven",
  pass_hint: "Handhaaf uw huidige bod en beëindig uw beurt. Een beurt die afloopt, telt ook als handhaven.",
  pass_busy: "bezig…",
  pass_accepted: "U heeft uw bod gehandhaafd; uw beurt is voorbij.",
  sending_pass: "bezig… uw keuze wordt verwerkt.",
  rejected_pass_prefix: "Bod niet gehandhaafd.",
  submit_hint_not_your_turn: "U kunt alleen bieden tijdens uw eigen beurt.",
  submit_hint_blocked: "Uw bieden is geblokkeerd.",

  // quality weighting
  meat_title: "Uw prijs-kwaliteitweging",
  meat_score: "Uw kwaliteitsscore",
  meat_factor: "Uw factor",
  meat_bonus: "Uw bonus",
  meat_ranked: "Uw rangschikkingsbedrag",
  meat_beat_next: "Om één positie te stijgen: totaal hoogstens",
  meat_beat_worst: "Om het hoogste bod te verslaan: totaal hoogstens",
  meat_beat_lead: "Om de leiding te nemen: totaal hoogstens",
  meat_you_lead: "U heeft de leiding.",
  meat_beat_none: "nog geen andere biedingen",

  // the bidder's ladder
  bidder_ladder_title: "Ranglijst (zonder namen)",
  ladder_ranked: "Rangschikkingsbedrag",
  ladder_you: "U",
  ladder_other: "—",

  // sealed, blocked
  rank_sealed: "Niet zichtbaar",
  sealed_note: "Verzegelde veiling: u ziet alleen uw eigen biedingen; uw positie wordt niet getoond.",
  initial_sealed_note: "Verzegelde fase: posities worden pas na de eerste biedingen getoond.",
  blocked_banner:
    "De organisator heeft uw bieden geblokkeerd. U kunt op dit moment niet bieden. Neem contact op met de organisator om te horen waarom en wat u kunt doen.",

  // bid lines "changed"
  changed_intro: "Vul alleen de regels in die u wijzigt. Een lege regel houdt uw vorige prijs.",
  v_nothing_changed: "Bod niet verstuurd: vul minstens één regel in die u wilt wijzigen.",
  unchanged: "ongewijzigd",

  // far below: confirmation
  confirm_title: "Klopt dit bod?",
  confirm_text: "Uw bod met totaal {total} ligt meer dan {pct} % onder het vergelijkingsbedrag van {reference}. Is het een tikfout? Controleer uw prijzen.",
  confirm_text_meat:
    "Uw bod (totaal {total}) ligt gemeten in het rangschikkingsbedrag meer dan {pct} % onder het vergelijkingsbedrag van {reference}. Is het een tikfout? Controleer uw prijzen.",
  confirm_text_short: "Dit bod ligt ver onder het vergelijkingsbedrag. Is het een tikfout? Controleer uw prijzen.",
  confirm_server: "Melding van de server",
  confirm_yes: "Ja, dit bod klopt: versturen",
  confirm_no: "Nee, prijzen aanpassen",
  confirm_cancelled: "Bod niet verstuurd. Pas uw prijzen aan en plaats het bod opnieuw.",
  sending_confirmed: "bezig… uw bevestigde bod wordt verwerkt.",

  // rejections added with the formats
  rej_must_beat_best: "Uw bod moet het beste bod in de veiling met minstens de minimale verlaging verbeteren: uw totaal mag hoogstens {max_total} zijn.",
  rej_must_beat_best_short: "Uw bod moet het beste bod in de veiling met minstens de minimale verlaging verbeteren.",
  rej_tie_refused: "Een ander bod heeft precies hetzelfde bedrag; gelijke biedingen zijn niet toegestaan. Bied iets lager.",
  rej_confirm_far_below: "Het bod ligt ver onder het vergelijkingsbedrag en is niet bevestigd.",
  rej_blocked: "De organisator heeft uw bieden geblokkeerd. Neem contact op met de organisator.",
  rej_not_your_turn: "U bent niet aan de beurt. Bieden of uw bod handhaven kan alleen tijdens uw eigen beurt.",
  rej_turn_ended: "De beurt was al afgelopen toen uw bericht aankwam; er is niets vastgelegd.",
  rej_level_changed: "De prijs was al naar niveau {number} gegaan toen uw acceptatie aankwam; er is niets geaccepteerd.",
  rej_level_changed_short: "De prijs was al naar een ander niveau gegaan toen uw acceptatie aankwam; er is niets geaccepteerd.",
  rej_level_ended: "Dit niveau was al afgelopen toen uw acceptatie aankwam; er is niets geaccepteerd.",
  rej_dropped_out: "U heeft een eerder niveau niet op tijd geaccepteerd en doet niet meer mee aan deze veiling.",
  rej_already_accepted: "U heeft dit niveau al geaccepteerd; wacht op het volgende niveau.",
  rej_wrong_format: "Dit soort bod past niet bij de vorm van deze veiling. Herlaad de pagina.",
  rej_not_the_level: "Een acceptatie moet precies de prijzen van het huidige niveau hebben. Herlaad de pagina.",

  // observer
  obs_level_title: "Prijsniveau",
  obs_accepted_label: "Geaccepteerd",
  obs_out_label: "Uitgevallen",
  obs_round_title: "Beurten",
  obs_order_label: "Volgorde in deze ronde",
  obs_on_turn_label: "Aan de beurt",
  obs_nobody: "niemand",
  obs_blocked_label: "Geblokkeerd",
  obs_on_turn_mark: "aan de beurt",
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
  total_same_as_last_changed:
    "This is the total of your last bid. Enter a lower price for the lines you change; the new total may be at most {max}.",
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

  format_label: "Auction format",
  format_english: "English auction (reverse)",
  format_japanese: "Japanese auction",
  format_dutch: "Dutch auction",
  format_rounds: "Fixed turns",
  figure_total: "total",
  figure_ranked: "ranked figure",

  rule_format_english:
    "Format: English auction (reverse). You lower your own prices, as often as you like while the auction is open.",
  rule_format_japanese:
    "Format: Japanese auction. The price starts at the ceiling and falls one level every {interval}. To stay in, accept every level before it ends; a bidder who does not accept a level in time is out for good. When one bidder is left after a level, it wins at that level.",
  rule_format_dutch:
    "Format: Dutch auction. The price starts low and rises one level every {interval}, up to the ceiling at most. The first bidder to accept a level wins at that level; the auction then closes at once.",
  rule_format_rounds: (p) =>
    `Format: fixed turns. First comes a sealed stage of ${p.initial} for initial offers, in which you see nothing of the others. ` +
    `Then ${p.rounds === 1 ? "1 round follows" : `${p.rounds} rounds follow`}; in each round every bidder gets one turn of ${p.turn}, ` +
    "worst-ranked first (bidders without an offer before all others). On your turn you lower your offer (one bid, which ends your turn) " +
    "or keep it with ‘Keep my offer’; a turn that runs out counts as keeping. The auction closes after the last turn of the last round.",
  rule_weighted_meat:
    "You bid a price per unit for every line. Your total is the sum over all lines of price × estimated yearly volume. The ranking follows the ranked figure (see the price-quality rule); the lowest is rank 1.",
  rule_levels_prices:
    "A level is a percentage of every line's ceiling price (rounded to the smallest unit); the total is volume-weighted (price × estimated yearly volume, summed). You do not type prices: you accept a level with the ‘Accept’ button.",
  obs_rule_levels_prices:
    "A level is a percentage of every line's ceiling price (rounded to the smallest unit); the total is volume-weighted. Bidders do not type prices: they accept a level.",
  rule_levels_table: (p) => `Announced levels (each level stands ${p.interval}):`,
  levels_col_number: "Level",
  levels_col_percent: "% of ceiling",
  levels_col_total: "Total",
  rule_decrement_percent_best: "Every new bid must be at least {pct} % below your own previous total and at least {pct} % below the best offer in the auction.",
  rule_decrement_amount_best: "Every new bid must be at least {amount} below your own previous total and at least {amount} below the best offer in the auction.",
  rule_decrement_best_meat: "The distance to the best offer is measured in the ranked figure.",
  rule_bid_lines_all: "Every bid has a price for every line.",
  rule_bid_lines_changed:
    "Your first bid has a price for every line. After that you fill in only the lines you change; an empty line keeps your previous price.",
  rule_tie_refused: "A bid with exactly the same {figure} as another bid is refused: equal bids are not allowed.",
  rule_tie_earlier: "With an equal {figure}, the earlier bid ranks first.",
  rule_tie_earliest_acceptance:
    "If nobody accepts the next level, or the lowest level is reached with several bidders in, then of the bidders who accepted the last level the one who accepted it first wins.",
  rule_far_below:
    "If a bid is more than {pct} % below its reference (the best offer if you can see it, else your own previous bid, else the highest possible total), the room first asks you to confirm it. That way a typo does not silently become a binding bid.",
  rule_reserve: "An undisclosed reserve price applies. If the best offer stays above it, the organiser may decide not to award.",
  obs_rule_reserve: "A reserve price applies; bidders do not know the amount. If the best offer stays above it, the organiser may decide not to award.",
  rule_ext_trigger_improving: "Every valid bid in the last {window}",
  rule_ext_trigger_lead: "A bid that takes the lead in the last {window}",
  rule_ext_trigger_top_k: (p) =>
    `A bid that lands ${p.k === 1 ? "at rank 1" : `in the top ${p.k} ranks`} in the last ${p.window}`,
  rule_ext_from_bid: "extends the auction to {ext} after that bid.",
  rule_ext_from_close: "extends the auction by {ext}, counted from the current closing time.",
  rule_closing_quiet:
    "The auction closes once no valid bid has been placed for {quiet} (quiet period); every valid bid restarts that period. It closes at the latest {duration} after opening.",
  rule_visibility_ladder: "You see the whole ranking of all offers, without names; your own row is marked.",
  obs_rule_visibility_ladder: "Bidders see the whole ranking of all offers without names, with their own row marked.",
  rule_sealed: "Sealed auction: you see only your own bids. Your rank, the number of bidders and the other bids are not shown.",
  obs_rule_sealed: "Sealed auction: bidders see only their own bids, no rank and nothing of the others.",
  rule_visibility_japanese_count: "At every level you see how many bidders are still in, never who.",
  rule_visibility_japanese_none: "You do not see how many or which bidders are still in.",
  rule_visibility_dutch: "You see nothing of the other bidders; the auction closes as soon as someone accepts a level.",
  obs_rule_visibility_levels: "Bidders see the current level and their own status, never the names of others.",
  rule_meat_factor:
    "Award on the best price-quality ratio: ranked figure = total × (1 − {max} % × quality score ÷ 100). A higher quality score lowers the ranked figure.",
  rule_meat_bonus:
    "Award on the best price-quality ratio: ranked figure = total − {bonus} × quality score. A higher quality score lowers the ranked figure.",
  rule_meat_own_factor: "Your quality score is {score}; your factor is {weight}.",
  rule_meat_own_bonus: "Your quality score is {score}; your bonus is {weight}.",
  rule_schedule_opening: "Scheduled opening: {when}.",

  closes_level_at: "level ends at {time}",
  closes_initial_at: "initial offers until {time}",
  closes_turn_at: "turn ends at {time}",
  time_next_level: "00:00 — next level…",
  time_next_turn: "00:00 — next turn…",

  level_title: "Current price level",
  level_waiting: "The first level starts when the auction opens.",
  level_number: "Level {number} of {of}",
  level_percent: "{pct} % of the ceiling price",
  level_total_label: "Total at this level",
  level_time_label: "This level ends in",
  col_level_price: "Price at this level",
  accept_button: "Accept",
  accept_button_label: "Accept level {number}: total {total}",
  accept_busy: "working…",
  level_status_open_japanese: "Accept this level before it ends to stay in the auction.",
  level_status_open_dutch: "The first bidder to accept this level wins at this price.",
  level_status_accepted: "You accepted level {number}. Wait for the next level.",
  level_status_accepted_dutch: "You accepted level {number}.",
  level_status_out: "You are out: you did not accept a level in time. You can no longer bid in this auction.",
  level_status_closed: "The auction is closed.",
  level_status_out_closed: "The auction is closed. You are out: you did not accept a level in time.",
  level_status_closed_won: "The auction is closed. You are rank 1 with the last level you accepted.",
  level_status_blocked: "Your bidding is blocked.",
  bidders_in: (p) => (p.n === 1 ? "1 bidder still in" : `${p.n} bidders still in`),
  standing_in: "In the auction",
  standing_out: "Out",
  standing_accepted: "Level accepted",
  accepted_level: "Level {number} accepted at {time} (Dutch time). Total: {total}.",
  sending_accept: "working… your acceptance is being processed.",
  rejected_accept_prefix: "Not accepted.",

  round_title: "Turns",
  round_stage_initial: "Initial offers (sealed)",
  round_of: "Round {round} of {of}",
  round_waiting: "The auction starts with a sealed stage for initial offers.",
  turn_initial: "Place your initial offer. In this stage you see nothing of the other bidders.",
  turn_yours: "It is your turn. Lower your offer or keep it.",
  turn_waiting: "Your turn is number {k} of {n} in this round (turn {position} is under way).",
  turn_done: "You have had your turn in this round.",
  turn_none: "You have no turn in this round.",
  turn_time_initial: "Initial offers close in",
  turn_time_yours: "Your turn ends in",
  turn_time_other: "Current turn ends in",
  pass_button: "Keep my offer",
  pass_hint: "Keep your current offer and end your turn. A turn that runs out also counts as keeping.",
  pass_busy: "working…",
  pass_accepted: "You kept your offer; your turn is over.",
  sending_pass: "working… your choice is being processed.",
  rejected_pass_prefix: "Offer not kept.",
  submit_hint_not_your_turn: "You can only bid on your own turn.",
  submit_hint_blocked: "Your bidding is blocked.",

  meat_title: "Your price-quality weighting",
  meat_score: "Your quality score",
  meat_factor: "Your factor",
  meat_bonus: "Your bonus",
  meat_ranked: "Your ranked figure",
  meat_beat_next: "To move up one rank: total at most",
  meat_beat_worst: "To beat the highest offer: total at most",
  meat_beat_lead: "To take the lead: total at most",
  meat_you_lead: "You have the lead.",
  meat_beat_none: "no other offers yet",

  bidder_ladder_title: "Ranking (without names)",
  ladder_ranked: "Ranked figure",
  ladder_you: "You",
  ladder_other: "—",

  rank_sealed: "Not shown",
  sealed_note: "Sealed auction: you see only your own bids; your rank is not shown.",
  initial_sealed_note: "Sealed stage: ranks are shown only after the initial offers.",
  blocked_banner:
    "The organiser has blocked your bidding. You cannot bid at the moment. Please contact the organiser to hear why and what you can do.",

  changed_intro: "Fill in only the lines you change. An empty line keeps your previous price.",
  v_nothing_changed: "Bid not sent: fill in at least one line you want to change.",
  unchanged: "unchanged",

  confirm_title: "Is this bid right?",
  confirm_text: "Your bid with total {total} is more than {pct} % below the reference of {reference}. Is it a typo? Please check your prices.",
  confirm_text_meat:
    "Your bid (total {total}) is, measured in the ranked figure, more than {pct} % below the reference of {reference}. Is it a typo? Please check your prices.",
  confirm_text_short: "This bid is far below its reference. Is it a typo? Please check your prices.",
  confirm_server: "Message from the server",
  confirm_yes: "Yes, this bid is right: send it",
  confirm_no: "No, let me change the prices",
  confirm_cancelled: "Bid not sent. Change your prices and place the bid again.",
  sending_confirmed: "working… your confirmed bid is being processed.",

  rej_must_beat_best: "Your bid must beat the best offer in the auction by at least the minimum decrement: your total may be at most {max_total}.",
  rej_must_beat_best_short: "Your bid must beat the best offer in the auction by at least the minimum decrement.",
  rej_tie_refused: "Another offer has exactly the same figure; equal bids are not allowed. Bid a little lower.",
  rej_confirm_far_below: "The bid is far below its reference and was not confirmed.",
  rej_blocked: "The organiser has blocked your bidding. Please contact the organiser.",
  rej_not_your_turn: "It is not your turn. You can bid or keep your offer only on your own turn.",
  rej_turn_ended: "The turn had already ended when your message arrived; nothing was recorded.",
  rej_level_changed: "The price had already moved to level {number} when your acceptance arrived; nothing was accepted.",
  rej_level_changed_short: "The price had already moved to another level when your acceptance arrived; nothing was accepted.",
  rej_level_ended: "This level had already ended when your acceptance arrived; nothing was accepted.",
  rej_dropped_out: "You did not accept an earlier level in time and are no longer in this auction.",
  rej_already_accepted: "You have already accepted this level; wait for the next one.",
  rej_wrong_format: "This kind of bid does not fit this auction's format. Please reload the page.",
  rej_not_the_level: "An acceptance must carry exactly the prices of the current level. Please reload the page.",

  obs_level_title: "Price level",
  obs_accepted_label: "Accepted",
  obs_out_label: "Out",
  obs_round_title: "Turns",
  obs_order_label: "Order in this round",
  obs_on_turn_label: "On turn",
  obs_nobody: "nobody",
  obs_blocked_label: "Blocked",
  obs_on_turn_mark: "on turn",
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
