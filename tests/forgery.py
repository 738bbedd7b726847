"""Forging journals for the replay's tamper tests: a golden export, changed on purpose, then re-hashed.

A forger with write access to the journal (and, worst case, the server's signing key) changes what must change
and recomputes every hash from the changed entry on, so the hash chain holds and every later signature verifies
again. What is left broken is the one rule the forgery breaks; :func:`chain_problems` and
:func:`signature_problems` prove that for the forgeries meant to break a rule rather than the chain.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from auction.audit.replay import ReplayReport, check_link, replay
from auction.journal.hashing import GENESIS, entry_hash
from auction.journal.port import JournalEntry
from auction.journal.signing import Signer, verify_head
from qualification.common.canonical import canonical_json

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
VERIFIER = ROOT / "scripts" / "verify_journal.py"

# The key the golden journals were signed with (tests/test_golden_journal.py): a fixed, public test key.
SERVER = Signer(Ed25519PrivateKey.from_private_bytes(bytes(range(32))))
# Another key: what a forger without the server's key signs with.
STRANGER = Signer(Ed25519PrivateKey.from_private_bytes(bytes(range(32, 64))))


@dataclass
class Forgery:
    """One export as plain data: ``header`` (line 1) and ``entries`` (entry #n is ``entries[n - 1]``)."""

    header: dict[str, Any]
    entries: list[dict[str, Any]]

    @classmethod
    def golden(cls, name: str) -> Forgery:
        lines = (GOLDEN / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        return cls(json.loads(lines[0]), [json.loads(line) for line in lines[1:]])

    @property
    def stream(self) -> str:
        return str(self.header["stream"])

    # ---------------------------------------------------------------------------------------- looking up

    def entry(self, seq: int) -> dict[str, Any]:
        found = self.entries[seq - 1]
        assert found["seq"] == seq, f"entry #{seq} is not at its place"
        return found

    def type_of(self, seq: int) -> str:
        """The type of the entry that carries ``seq`` (wherever it is, even out of place)."""
        return str(next(e["type"] for e in self.entries if e["seq"] == seq))

    def payload(self, seq: int, of_type: str | None = None) -> dict[str, Any]:
        """Entry #seq's payload, to change in place; ``of_type`` guards against forging the wrong entry."""
        entry = self.entry(seq)
        assert of_type is None or entry["type"] == of_type, f"entry #{seq} is a {entry['type']}, not {of_type}"
        payload: dict[str, Any] = entry["payload"]
        return payload

    # -------------------------------------------------------------------------------------------- forging

    def set_time(self, seq: int, at: int) -> None:
        """The event's time and the entry's server time, together (as the server writes them)."""
        self.entry(seq)["recorded_at"] = at
        self.payload(seq)["at"] = at

    def insert(self, seq: int, event_type: str, payload: dict[str, Any]) -> None:
        """A new entry at ``seq``, recorded at its event's time; the entries from there on move one place down."""
        new = {"stream": self.stream, "seq": seq, "recorded_at": payload["at"], "type": event_type, "payload": payload}
        self.entries.insert(seq - 1, {**new, "prev_hash": "", "hash": ""})
        self._renumber(seq)

    def replace(self, seq: int, event_type: str, payload: dict[str, Any]) -> None:
        """Entry #seq becomes another event (same place, same server time)."""
        self.entry(seq).update(type=event_type, payload=payload)

    def remove(self, seq: int, *, renumber: bool) -> None:
        del self.entries[seq - 1]
        if renumber:
            self._renumber(seq)

    def truncate(self, last_seq: int) -> None:
        """Keep entries #1 … #last_seq: a journal whose later entries were never written."""
        del self.entries[last_seq:]

    def _renumber(self, start: int) -> None:
        # In the golden journals every signed head is the entry just before the signature (the close or award
        # step it follows), so after a move it is again the entry just before.
        for number, entry in enumerate(self.entries[start - 1 :], start=start):
            entry["seq"] = number
            payload = entry["payload"]
            # A signature after the move names its head by the head's new number.
            if entry["type"] == "JournalHeadSigned" and payload["head_seq"] >= start:
                payload["head_seq"] = number - 1
            if entry["type"] == "AwardIntended":
                payload["contract"]["journal_head"]["seq"] = number - 1

    def seal(self, seq: int) -> None:
        """Recompute entry #seq's own hash from its content as it is now (its prev_hash included)."""
        e = self.entry(seq)
        e["hash"] = entry_hash(e["stream"], seq, e["recorded_at"], e["type"], e["payload"], e["prev_hash"])

    def rehash(self, start: int) -> None:
        """Recompute every hash and link from entry #start on, and re-sign the heads after it with the server's key.

        Entry #start itself keeps the payload the forger gave it (a forged signature stays forged); every later
        ``JournalHeadSigned`` and ``AwardIntended`` journal head is pointed at the new hashes and signed again.
        """
        by_seq = {e["seq"]: e for e in self.entries}
        for index in range(start - 1, len(self.entries)):
            entry = self.entries[index]
            seq = entry["seq"]
            if seq > start:
                self._resign(entry, by_seq)
            entry["prev_hash"] = self.entries[index - 1]["hash"] if index else GENESIS
            entry["hash"] = entry_hash(
                entry["stream"], seq, entry["recorded_at"], entry["type"], entry["payload"], entry["prev_hash"]
            )

    def _resign(self, entry: dict[str, Any], by_seq: dict[int, dict[str, Any]]) -> None:
        payload = entry["payload"]
        if entry["type"] == "JournalHeadSigned":
            head = payload
            seq_key, hash_key = "head_seq", "head_hash"
        elif entry["type"] == "AwardIntended":
            head = payload["contract"]["journal_head"]
            seq_key, hash_key = "seq", "hash"
        else:
            return
        head[hash_key] = by_seq[head[seq_key]]["hash"]
        if head["signature"]:
            head["signature"] = SERVER.sign_head(self.stream, head[seq_key], head[hash_key])
            head["public_key"] = SERVER.public_key

    def sign(self, head: dict[str, Any], seq: int, digest: str, signer: Signer = SERVER) -> None:
        """Write a (valid) signature of ``signer`` over entry #seq with hash ``digest`` into ``head``."""
        is_entry = "head_seq" in head
        head["head_seq" if is_entry else "seq"] = seq
        head["head_hash" if is_entry else "hash"] = digest
        head["signature"] = signer.sign_head(self.stream, seq, digest)
        head["public_key"] = signer.public_key

    # ------------------------------------------------------------------------------------------- checking

    def journal_entries(self) -> list[JournalEntry]:
        return [
            JournalEntry(
                e["stream"],
                e["seq"],
                e["recorded_at"],
                e["type"],
                copy.deepcopy(e["payload"]),
                e["prev_hash"],
                e["hash"],
            )
            for e in self.entries
        ]

    def replay(self, public_key: str | None = SERVER.public_key) -> ReplayReport:
        return replay(self.stream, self.journal_entries(), public_key)

    def export_text(self) -> str:
        header = {**self.header, "entries": len(self.entries)}
        return "\n".join(canonical_json(line) for line in [header, *self.entries]) + "\n"

    def verify_standalone(
        self, directory: Path, public_key: str = SERVER.public_key
    ) -> subprocess.CompletedProcess[str]:
        """Run scripts/verify_journal.py on this export, as an auditor would."""
        path = directory / f"{self.stream}.jsonl"
        path.write_text(self.export_text(), encoding="utf-8")
        return subprocess.run(
            [sys.executable, str(VERIFIER), str(path), "--public-key", public_key],
            capture_output=True,
            text=True,
            check=False,
        )


def chain_problems(forgery: Forgery) -> list[str]:
    """What is wrong with the hash chain, checked as the replay checks it: seq, link, hash and time of every entry
    (nothing, for a forgery that was re-hashed properly)."""
    problems = []
    previous_hash, previous_time = GENESIS, 0
    for expected, entry in enumerate(forgery.journal_entries(), start=1):
        problem = check_link(entry, expected, previous_hash, previous_time)
        if problem is not None:
            problems.append(f"entry #{entry.seq}: {problem}")
        previous_hash, previous_time = entry.hash, entry.recorded_at
    return problems


def signature_problems(forgery: Forgery) -> list[str]:
    """Which signatures do not hold: each must name an earlier entry by its hash and verify with the server's key
    (nothing, for a forgery re-signed with the server's key)."""
    problems = []
    hashes: dict[int, str] = {}
    for entry in forgery.entries:
        payload = entry["payload"]
        heads = []
        if entry["type"] == "JournalHeadSigned":
            heads.append((payload["head_seq"], payload["head_hash"], payload["signature"], payload["public_key"]))
        elif entry["type"] == "AwardIntended" and payload["contract"]["journal_head"]["signature"]:
            head = payload["contract"]["journal_head"]
            heads.append((head["seq"], head["hash"], head["signature"], head["public_key"]))
        for seq, digest, signature, key in heads:
            if hashes.get(seq) != digest or key != SERVER.public_key:
                problems.append(f"entry #{entry['seq']}: its signed head is not entry #{seq} or not the server's")
            elif not verify_head(key, forgery.stream, seq, digest, signature):
                problems.append(f"entry #{entry['seq']}: its signature over entry #{seq} does not verify")
        hashes[entry["seq"]] = entry["hash"]
    return problems
