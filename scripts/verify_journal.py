#!/usr/bin/env python3
"""Verify an exported auction journal (``auction export journal``) with none of the product's code.

Needs only the Python standard library and the ``cryptography`` package (for Ed25519). Every rule it checks is
written out in docs/audit.md, so an auditor can read this file against that text, or write their own.

    python verify_journal.py EXPORT.jsonl [--public-key HEX] [--receipts RECEIPTS.json]

It checks the header; that every line is a JSON object; the entries' seq order (1, 2, 3 … without gaps); every
prev_hash link; every entry hash, recomputed; every signature (JournalHeadSigned entries, and the journal head in
each AwardIntended contract), against the expected public key; the bidders' receipts, if given; that a
PracticeReset (which clears the standing offers) occurs only in a practice auction; and that each AwardIntended
contract names the offer the bids put at its rank.

Exit status: 0 when all of that holds, 1 when something does not (the report names the first bad entry),
2 for a usage error (no such file, not a JSON Lines journal export, a malformed option).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, NoReturn

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

FORMAT = "dieetveiling-journal"
VERSION = 1
GENESIS = "0" * 64
PURPOSE = "dieetveiling journal head v1"
ENTRY_FIELDS = ("stream", "seq", "recorded_at", "type", "payload", "prev_hash", "hash")
RECEIPT_FIELDS = ("auction_id", "bid_id", "seq", "entry_hash", "server_time", "total")
HEX64 = re.compile(r"[0-9a-f]{64}")


class UsageError(Exception):
    """The input is not something this script can verify (exit 2)."""


class Broken(Exception):
    """Something in the journal does not hold (exit 1); the message names where."""


# ------------------------------------------------------------------------------------------ canonical JSON


class NotCanonical(ValueError):
    """A value canonical JSON cannot hold (a float, a non-string key, text that is not Unicode)."""


_ESCAPE = re.compile(r'[\x00-\x1f"\\]')
_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    return _SHORT_ESCAPES.get(char) or f"\\u{ord(char):04x}"


def canonical_json(value: Any) -> str:
    """Keys sorted by code point, no whitespace, non-ASCII written as is, integers only (docs/audit.md)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return str(value)
    if isinstance(value, str):
        return '"' + _ESCAPE.sub(_escape, value) + '"'
    if isinstance(value, list):
        return "[" + ",".join(canonical_json(item) for item in value) + "]"
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise NotCanonical("an object key is not a string")
        return "{" + ",".join(canonical_json(key) + ":" + canonical_json(value[key]) for key in sorted(value)) + "}"
    raise NotCanonical(f"{type(value).__name__} values have no canonical form (numbers must be integers)")


def utf8(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise NotCanonical("it contains text that is not valid Unicode (a lone surrogate)") from None


def entry_hash(entry: dict[str, Any]) -> str:
    body = {name: entry[name] for name in ENTRY_FIELDS if name != "hash"}
    return hashlib.sha256(utf8(canonical_json(body))).hexdigest()


def head_message(stream: str, seq: int, digest: str) -> bytes:
    return utf8(canonical_json({"purpose": PURPOSE, "stream": stream, "seq": seq, "hash": digest}))


def format_price(units: int, decimals: int) -> str:
    """Price units as the decimal string the contract and receipts use: 123456 (2 decimals) -> "1234.56"."""
    sign = "-" if units < 0 else ""
    whole, frac = divmod(abs(units), 10**decimals)
    return f"{sign}{whole}" if decimals == 0 else f"{sign}{whole}.{frac:0{decimals}d}"


# ------------------------------------------------------------------------------------------ strict parsing


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise NotCanonical(f"the key {key!r} appears twice in one object")
        result[key] = value
    return result


def _no_float(text: str) -> Any:
    raise NotCanonical(f"the number {text} is not an integer")


def _no_constant(text: str) -> Any:
    raise NotCanonical(f"{text} is not a JSON number")


def parse_json(text: str) -> Any:
    """JSON as canonical JSON allows it: no floats, no NaN/Infinity, no duplicate keys."""
    return json.loads(text, object_pairs_hook=_object, parse_float=_no_float, parse_constant=_no_constant)


def is_int(value: Any) -> bool:
    return type(value) is int


def short(digest: Any) -> str:
    return f"{digest[:16]}…" if isinstance(digest, str) and len(digest) > 16 else repr(digest)


def hex_bytes(text: Any, size: int) -> bytes | None:
    """``text`` as bytes when it is hex of exactly ``size`` bytes, else None."""
    if not isinstance(text, str) or len(text) != 2 * size:
        return None
    try:
        return bytes.fromhex(text)
    except ValueError:
        return None


# ------------------------------------------------------------------------------------------------ reading


@dataclass
class Export:
    path: Path
    header: dict[str, Any]
    lines: list[tuple[int, Any]]  # (line number, parsed value), or (line number, the parse error's text)
    bad_lines: dict[int, str]


def read_export(path: Path) -> Export:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read it ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not a journal export (not UTF-8 text)") from None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline that ends the last line
    if not lines:
        raise UsageError(f"{path}: not a journal export (the file is empty)")
    try:
        header = parse_json(lines[0])
    except ValueError as exc:
        raise UsageError(f"{path}: not a JSON Lines journal export (line 1 is not JSON: {exc})") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise UsageError(f'{path}: not a journal export (line 1 is not a header with "format": "{FORMAT}")')
    if header.get("version") != VERSION:
        raise UsageError(f"{path}: export version {header.get('version')!r}; this script reads version {VERSION}")
    parsed: list[tuple[int, Any]] = []
    bad: dict[int, str] = {}
    for number, line in enumerate(lines[1:], start=2):
        try:
            parsed.append((number, parse_json(line)))
        except ValueError as exc:
            parsed.append((number, None))
            bad[number] = str(exc) if line.strip() else "an empty line"
    return Export(path, header, parsed, bad)


def read_receipts(path: Path) -> list[Any]:
    try:
        data = parse_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise UsageError(f"{path}: not a JSON file of receipts ({exc})") from None
    if not isinstance(data, list):
        raise UsageError(f"{path}: the receipts must be a JSON list of bid_accepted messages")
    return data


# ----------------------------------------------------------------------------------------------- checking


@dataclass(frozen=True)
class Offer:
    """A bidder's standing offer: its last accepted bid."""

    bidder: str
    bid_id: str
    total: int
    prices: dict[str, Any]
    seq: int
    ranked: int  # what the ranking follows: the total, or with quality weighting (MEAT) the weighted total


def ranked_figure(config: dict[str, Any], bidder: str, total: int) -> int:
    """docs/rules.md 2.1: the total, or with ``meat_formula`` "factor" total × (1 − d/100 × score/100), or with
    "bonus" total − bonus_per_point × score; each rounded half to even to whole price units."""
    formula = config.get("meat_formula")
    if formula is None:
        return total
    seat = next(seat for seat in config["seats"] if seat["bidder"] == bidder)
    score = Fraction(Decimal(seat.get("quality_score") or "0"))
    if formula == "factor":
        discount = Fraction(Decimal(config["meat_max_discount_percent"])) / 100
        return round(total * (1 - discount * score / 100))
    return total - round(config["meat_bonus_per_point"] * score)


@dataclass
class Verification:
    stream: str
    expected_key: bytes | None
    key_source: str
    entries: list[dict[str, Any]] = field(default_factory=list)  # in seq order, each checked
    by_seq: dict[int, dict[str, Any]] = field(default_factory=dict)
    config: dict[str, Any] | None = None
    offers: dict[str, Offer] = field(default_factory=dict)
    bid_ids: set[str] = field(default_factory=set)
    signatures_valid: int = 0
    signatures_unchecked: int = 0
    last_signed_head: int = 0
    awards: list[str] = field(default_factory=list)
    receipts_matched: int = 0

    # -------------------------------------------------------------------------------------- entry by entry

    def check_entry(self, number: int, entry: Any, problem: str | None) -> None:
        expected = len(self.entries) + 1
        if problem is not None:
            raise Broken(f"line {number} (where entry #{expected} should be): not valid journal JSON: {problem}")
        if not isinstance(entry, dict):
            raise Broken(f"line {number} (where entry #{expected} should be): not a JSON object")
        seq, kind = entry.get("seq"), entry.get("type")
        name = f"entry #{seq} ({kind})" if is_int(seq) and isinstance(kind, str) else f"line {number}"
        fields = set(entry)
        if fields != set(ENTRY_FIELDS):
            missing, extra = sorted(set(ENTRY_FIELDS) - fields), sorted(fields - set(ENTRY_FIELDS))
            raise Broken(f"{name}: the fields are wrong (missing: {missing or 'none'}, unexpected: {extra or 'none'})")
        if not (is_int(seq) and is_int(entry["recorded_at"]) and isinstance(kind, str)):
            raise Broken(f"{name}: seq and recorded_at must be integers, type a string")
        if not isinstance(entry["payload"], dict):
            raise Broken(f"{name}: the payload is not a JSON object")
        if entry["stream"] != self.stream:
            raise Broken(f"{name}: belongs to stream {entry['stream']!r}, the header says {self.stream!r}")
        if seq != expected:
            raise Broken(
                f"{name}: found where entry #{expected} should be: an entry is missing, or the order was changed"
            )
        previous = self.entries[-1] if self.entries else None
        link = previous["hash"] if previous else GENESIS
        if entry["prev_hash"] != link:
            what = f"the hash of entry #{seq - 1} ({short(link)})" if previous else "64 zeros (the first entry)"
            raise Broken(
                f"{name}: prev_hash {short(entry['prev_hash'])} is not {what}: "
                "an earlier entry was changed, removed or reordered"
            )
        try:
            computed = entry_hash(entry)
        except NotCanonical as exc:
            raise Broken(f"{name}: cannot be hashed: {exc}") from None
        if computed != entry["hash"]:
            raise Broken(
                f"{name}: hash mismatch: its content hashes to {short(computed)}, the entry says "
                f"{short(entry['hash'])}: the entry was changed after it was written"
            )
        if previous is not None and entry["recorded_at"] < previous["recorded_at"]:
            raise Broken(f"{name}: recorded_at is earlier than entry #{seq - 1}'s")
        try:
            self.check_content(name, entry)
        except (KeyError, TypeError, ValueError) as exc:
            raise Broken(f"{name}: the payload is not as documented ({type(exc).__name__}: {exc})") from None
        self.entries.append(entry)
        self.by_seq[seq] = entry

    def check_content(self, name: str, entry: dict[str, Any]) -> None:
        payload: dict[str, Any] = entry["payload"]
        if entry["type"] == "AuctionCreated":
            if self.config is not None:
                raise Broken(f"{name}: a second AuctionCreated in one journal")
            config = payload["config"]
            decimals, lines = config["price_decimals"], config["lines"]
            if not (is_int(decimals) and decimals >= 0 and all(is_int(line["volume"]) for line in lines)):
                raise Broken(f"{name}: config.price_decimals and every line's volume must be integers (≥ 0)")
            self.config = config
        elif entry["type"] == "BidAccepted":
            self.check_bid(name, entry["seq"], payload)
        elif entry["type"] == "PracticeReset":
            # Only a practice auction can be reset; in a live one the offers before it still stand, so a reset
            # there would let a rewritten journal wipe them and award another bidder (docs/audit.md, who wins).
            if self.cfg(name).get("practice") is not True:
                raise Broken(
                    f"{name}: a live auction was reset (config.practice is not true): only a practice auction can "
                    "be reset, so the offers before it still stand"
                )
            self.offers.clear()  # a practice auction starts over; its bid ids stay used
        elif entry["type"] == "JournalHeadSigned":
            self.check_signature(
                name,
                entry["seq"],
                payload["head_seq"],
                payload["head_hash"],
                payload["signature"],
                payload["public_key"],
            )
        elif entry["type"] == "AwardIntended":
            head = payload["contract"]["journal_head"]
            if (head["seq"], head["hash"]) != (entry["seq"] - 1, entry["prev_hash"]):
                raise Broken(f"{name}: contract.journal_head does not name the entry just before it")
            if head["signature"]:
                self.check_signature(
                    name, entry["seq"], head["seq"], head["hash"], head["signature"], head["public_key"]
                )
            self.check_award(name, payload)

    def cfg(self, name: str) -> dict[str, Any]:
        if self.config is None:
            raise Broken(f"{name}: no AuctionCreated entry before it, so its lines and price decimals are unknown")
        return self.config

    def check_bid(self, name: str, seq: int, payload: dict[str, Any]) -> None:
        bidder, bid_id, prices, total = payload["bidder"], payload["bid_id"], payload["prices"], payload["total"]
        if not (isinstance(bidder, str) and isinstance(bid_id, str) and isinstance(prices, dict) and is_int(total)):
            raise Broken(f"{name}: bidder and bid_id must be strings, prices an object, total an integer")
        if bid_id in self.bid_ids:
            raise Broken(f"{name}: bid id {bid_id!r} was accepted twice")
        lines = self.cfg(name)["lines"]
        if set(prices) != {line["id"] for line in lines} or not all(is_int(p) for p in prices.values()):
            raise Broken(f"{name}: prices must give an integer for every line of the lot, and nothing else")
        weighted = sum(prices[line["id"]] * line["volume"] for line in lines)
        if weighted != total:
            raise Broken(f"{name}: total {total} is not the volume-weighted sum of the prices ({weighted})")
        self.bid_ids.add(bid_id)
        self.offers[bidder] = Offer(bidder, bid_id, total, prices, seq, ranked_figure(self.cfg(name), bidder, total))

    def ranking(self) -> list[Offer]:
        """Best first: lowest ranked figure (the total unless quality-weighted), then the earlier bid (lower seq)."""
        return sorted(self.offers.values(), key=lambda offer: (offer.ranked, offer.seq))

    def check_award(self, name: str, payload: dict[str, Any]) -> None:
        contract, rank = payload["contract"], payload["rank"]
        decimals = self.cfg(name)["price_decimals"]
        ranking = self.ranking()
        if not is_int(rank) or contract["rank"] != rank:
            raise Broken(f"{name}: rank {rank!r} and contract.rank {contract['rank']!r} disagree")
        if not 1 <= rank <= len(ranking):
            raise Broken(f"{name}: awards rank {rank}, but the bids give ranks 1 to {len(ranking)}")
        if contract["auction_id"] != self.stream:
            raise Broken(f"{name}: the contract is for auction {contract['auction_id']!r}, not {self.stream!r}")
        offer = ranking[rank - 1]
        at_rank = f"the offer at rank {rank} is {offer.bidder}'s bid {offer.bid_id} (entry #{offer.seq})"
        if contract["supplier"]["id"] != offer.bidder:
            raise Broken(f"{name}: the contract's supplier is {contract['supplier']['id']!r}, but {at_rank}")
        if contract["winning_bid_id"] != offer.bid_id:
            raise Broken(f"{name}: the contract's winning bid is {contract['winning_bid_id']!r}, but {at_rank}")
        total = format_price(offer.total, decimals)
        if contract["total_per_year"] != total:
            raise Broken(f"{name}: total_per_year {contract['total_per_year']!r}, but {at_rank} with total {total}")
        for line in contract["lines"]:
            if line["price"] != format_price(offer.prices[line["id"]], decimals):
                raise Broken(f"{name}: line {line['id']} is priced {line['price']!r} in the contract, not as {at_rank}")
        weighted = self.cfg(name).get("meat_formula") is not None
        best = ", the lowest quality-weighted figure" if weighted else ", the lowest total"
        self.awards.append(
            f"{name} gives rank {rank} to {offer.bidder} (bid {offer.bid_id}, {total} per year)"
            + (best if rank == 1 else "")
        )

    def check_signature(self, name: str, seq: int, head_seq: Any, head_hash: Any, signature: Any, key: Any) -> None:
        if not is_int(head_seq) or not 1 <= head_seq < seq or self.by_seq[head_seq]["hash"] != head_hash:
            raise Broken(f"{name}: the signed head (entry #{head_seq}, {short(head_hash)}) is not an earlier entry")
        named = hex_bytes(key, 32)
        signature_bytes = hex_bytes(signature, 64)
        if named is None or signature_bytes is None:
            raise Broken(f"{name}: the public key must be 64 hex digits and the signature 128")
        if self.expected_key is None:
            self.signatures_unchecked += 1
            return
        if named != self.expected_key:
            raise Broken(
                f"{name}: signed with key {short(key)}, not the expected key {short(self.expected_key.hex())} "
                f"({self.key_source})"
            )
        try:
            Ed25519PublicKey.from_public_bytes(self.expected_key).verify(
                signature_bytes, head_message(self.stream, head_seq, head_hash)
            )
        except (InvalidSignature, ValueError):
            raise Broken(f"{name}: the signature over entry #{head_seq} does not verify") from None
        self.signatures_valid += 1
        self.last_signed_head = max(self.last_signed_head, head_seq)

    # --------------------------------------------------------------------------------------------- receipts

    def check_receipt(self, index: int, receipt: Any) -> None:
        if not isinstance(receipt, dict):
            raise Broken(f"receipt {index}: not a JSON object")
        label = f"receipt {index} (bid {receipt.get('bid_id')!r})"
        missing = [name for name in RECEIPT_FIELDS if name not in receipt]
        if missing:
            raise Broken(f"{label}: missing {', '.join(missing)}")
        if receipt.get("type", "bid_accepted") != "bid_accepted":
            raise Broken(f"{label}: a {receipt['type']!r} message, not a bid_accepted receipt")
        if receipt["auction_id"] != self.stream:
            raise Broken(f"{label}: is for auction {receipt['auction_id']!r}, this journal is {self.stream!r}")
        seq = receipt["seq"]
        entry = self.by_seq.get(seq) if is_int(seq) else None
        if entry is None:
            raise Broken(f"{label}: names entry #{seq}, which this journal does not have")
        name = f"entry #{seq} ({entry['type']})"
        if entry["type"] != "BidAccepted":
            raise Broken(f"{label}: {name} is not a BidAccepted entry")
        if entry["hash"] != receipt["entry_hash"]:
            raise Broken(
                f"{label}: {name} has hash {short(entry['hash'])}, the receipt says {short(receipt['entry_hash'])}"
            )
        if entry["payload"]["bid_id"] != receipt["bid_id"]:
            raise Broken(f"{label}: {name} holds bid {entry['payload']['bid_id']!r}")
        if entry["recorded_at"] != receipt["server_time"]:
            raise Broken(
                f"{label}: {name} was recorded at {entry['recorded_at']}, the receipt says {receipt['server_time']}"
            )
        total = format_price(entry["payload"]["total"], self.cfg(name)["price_decimals"])
        if receipt["total"] != total:
            raise Broken(f"{label}: {name} has total {total}, the receipt says {receipt['total']!r}")
        self.receipts_matched += 1


# ------------------------------------------------------------------------------------------------- report


def when(ms: Any) -> str:
    if not is_int(ms):
        return "at an unknown time"
    try:
        return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    except (OverflowError, ValueError, OSError):
        return f"at {ms} ms"


def choose_key(option: str | None, header: dict[str, Any]) -> tuple[bytes | None, str]:
    if option is not None:
        key = hex_bytes(option.strip().lower(), 32)
        if key is None:
            raise UsageError("--public-key must be 64 hex digits (a 32-byte Ed25519 public key)")
        return key, "from --public-key"
    if header.get("public_key"):
        key = hex_bytes(header["public_key"], 32)
        if key is None:
            raise Broken("header: public_key is not 64 hex digits")
        return key, "from the export's header only: compare it with the published award notice"
    return None, "none given"


def verify(path: Path, public_key: str | None, receipts_path: Path | None) -> list[str]:
    """The report's lines; raises :class:`Broken` at the first thing that does not hold."""
    export = read_export(path)
    receipts = read_receipts(receipts_path) if receipts_path is not None else None
    header = export.header
    stream = header.get("stream")
    if not isinstance(stream, str) or not stream:
        raise Broken("header: stream (the auction id) is missing")
    if not is_int(header.get("entries")) or not is_int(header.get("exported_at")):
        raise Broken("header: entries and exported_at must be integers")
    if header.get("public_key", "") != "" and not HEX64.fullmatch(str(header["public_key"])):
        raise Broken("header: public_key must be 64 lower-case hex digits, or empty")
    key, key_source = choose_key(public_key, header)
    check = Verification(stream, key, key_source)
    report = [f"{stream}: {len(export.lines)} entries, exported {when(header['exported_at'])} ({path.name})"]
    for number, entry in export.lines:
        check.check_entry(number, entry, export.bad_lines.get(number))
    if not check.entries:
        raise Broken("the export holds no entries")
    last = len(check.entries)
    if header["entries"] != last:
        raise Broken(f"header: says {header['entries']} entries, the file holds {last}: the export was cut short")
    report.append(f"  ok      hash chain: entries #1 to #{last} in order, every link and hash recomputed")
    signatures = check.signatures_valid + check.signatures_unchecked
    if check.expected_key is None:
        raise Broken(
            f"signatures: {signatures} unchecked: no public key (the header has none; give --public-key, "
            "from the published award notice)"
        )
    if not signatures:
        raise Broken("signatures: none in this journal, so nothing shows the server wrote it (it signs at the close)")
    report.append(f"  ok      signatures: {signatures} valid, key {check.expected_key.hex()} ({key_source})")
    report.extend(f"  ok      award: {award}" for award in check.awards)
    if receipts is not None:
        for index, receipt in enumerate(receipts, start=1):
            check.check_receipt(index, receipt)
        report.append(f"  ok      receipts: {check.receipts_matched} of {len(receipts)} match their entries")
    if check.last_signed_head < last:
        first = check.last_signed_head + 1
        after = f"entry #{last} comes" if first == last else f"entries #{first} to #{last} come"
        report.append(
            f"  note    {after} after the last signed head (#{check.last_signed_head}): "
            f"only the hash chain protects {'it' if first == last else 'them'}"
        )
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="verify_journal.py",
        description="Verify an exported auction journal (JSON Lines): hash chain, signatures, receipts, award.",
        epilog="Exit status: 0 verified, 1 something does not hold, 2 usage error. The rules: docs/audit.md.",
    )
    parser.add_argument("export", type=Path, help="the file `auction export journal` wrote")
    parser.add_argument("--public-key", help="the server's Ed25519 public key, hex (from the award notice)")
    parser.add_argument("--receipts", type=Path, help="a JSON list of bid_accepted messages to check")
    args = parser.parse_args(argv)
    try:
        report = verify(args.export, args.public_key, args.receipts)
    except UsageError as exc:
        usage_error(parser, str(exc))
    except Broken as exc:
        print(f"{args.export.name}:")
        print(f"  FAILED  {exc}")
        print("NOT VERIFIED")
        return 1
    print("\n".join(report))
    print("VERIFIED")
    return 0


def usage_error(parser: argparse.ArgumentParser, message: str) -> NoReturn:
    parser.exit(2, f"{parser.prog}: error: {message}\n")


if __name__ == "__main__":
    sys.exit(main())
