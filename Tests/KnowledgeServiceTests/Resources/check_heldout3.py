#!/usr/bin/env python3
"""Validate the heldout3 evaluation sets (delivery + utilities).

Usage: python3 check_heldout.py [folder ...]   (default: all heldout-* folders next to this file)
Exit code 0 only if every folder passes.
"""
import json, os, re, sys, unicodedata
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
ENTRY_KEYS = {"id", "category", "question", "similarQuestions", "answer", "enabled"}
PHRASE_KEYS = {"id", "text", "expectedEntryID", "style"}
TARGETS = {  # style -> approximate target count
    "paraphrase": 65, "colloquial": 50, "long": 38, "short": 34, "mixed": 33,
    "typo": 29, "near-miss": 30, "not-in-kb": 27, "chitchat": 13, "out-of-domain": 14,
}
NULL_STYLES = {"near-miss", "not-in-kb", "chitchat", "out-of-domain"}
ID_RE = re.compile(r"^[a-z][a-z0-9-]*\.[a-z0-9][a-z0-9-]*$")


def norm(s):
    """Remove punctuation/whitespace (any Unicode P*, S*, Z* category) and lowercase."""
    return "".join(ch for ch in s.lower()
                   if not unicodedata.category(ch)[0] in "PSZ" and not ch.isspace())


def check_folder(folder):
    errs, warns = [], []
    name = os.path.basename(folder.rstrip("/"))
    prefix = {"heldout-delivery": "d", "heldout-utilities": "u"}.get(name)
    try:
        entries = json.load(open(os.path.join(folder, "knowledge-entries.json"), encoding="utf-8"))
        phr = json.load(open(os.path.join(folder, "visitor-phrasings.json"), encoding="utf-8"))
        floors = json.load(open(os.path.join(folder, "floors.json"), encoding="utf-8"))
    except Exception as e:  # noqa
        return [f"cannot load JSON: {e}"], warns, {}

    # ---- entries
    if not isinstance(entries, list):
        errs.append("knowledge-entries.json is not an array"); entries = []
    if len(entries) < 85:
        errs.append(f"only {len(entries)} entries (< 85)")
    ids = [e.get("id") for e in entries if isinstance(e, dict)]
    for k, c in Counter(ids).items():
        if c > 1: errs.append(f"duplicate entry id {k}")
    topics = Counter()
    kb_norm = {}
    for e in entries:
        if not isinstance(e, dict) or set(e) != ENTRY_KEYS:
            errs.append(f"entry has wrong keys: {e if not isinstance(e, dict) else sorted(e)}"); continue
        if not ID_RE.match(e["id"]): errs.append(f"bad entry id {e['id']}")
        topics[e["id"].split(".")[0]] += 1
        for f in ("category", "question", "answer"):
            if not isinstance(e[f], str) or not e[f].strip(): errs.append(f"{e['id']}: empty {f}")
        sq = e["similarQuestions"]
        if not isinstance(sq, list) or len(sq) < 2 or not all(isinstance(x, str) and x.strip() for x in sq):
            errs.append(f"{e['id']}: similarQuestions must be >=2 non-empty strings")
            sq = []
        if e["enabled"] is not True: errs.append(f"{e['id']}: enabled must be true")
        nsent = len([s for s in re.split(r"[。！？!?]", e["answer"]) if s.strip()])
        if not 1 <= nsent <= 3: warns.append(f"{e['id']}: answer has {nsent} sentences")
        for t in [e["question"]] + sq:
            kb_norm.setdefault(norm(t), e["id"])
    if not 13 <= len(topics) <= 17:
        errs.append(f"{len(topics)} topics (need 13-17)")

    # ---- phrasings
    if not isinstance(phr, list):
        errs.append("visitor-phrasings.json is not an array"); phr = []
    if len(phr) < 320:
        errs.append(f"only {len(phr)} phrasings (< 320)")
    pids = [p.get("id") for p in phr if isinstance(p, dict)]
    for k, c in Counter(pids).items():
        if c > 1: errs.append(f"duplicate phrasing id {k}")
    idset = set(ids)
    hit = Counter(); styles = Counter(); nulls = 0; seen_text = {}
    for p in phr:
        if not isinstance(p, dict) or set(p) != PHRASE_KEYS:
            errs.append(f"phrasing has wrong keys: {p}"); continue
        pid, text, exp, st = p["id"], p["text"], p["expectedEntryID"], p["style"]
        if prefix and not re.fullmatch(prefix + r"\d{3,}", str(pid)): errs.append(f"bad phrasing id {pid}")
        if not isinstance(text, str) or not text.strip(): errs.append(f"{pid}: empty text"); continue
        if st not in TARGETS: errs.append(f"{pid}: unknown style {st}")
        styles[st] += 1
        if exp is None:
            nulls += 1
            if st not in NULL_STYLES: errs.append(f"{pid}: style {st} should have an expected entry")
        else:
            if exp not in idset: errs.append(f"{pid}: expectedEntryID {exp} does not exist")
            hit[exp] += 1
            if st in NULL_STYLES: errs.append(f"{pid}: style {st} must have null expectedEntryID")
        n = norm(text)
        if n in kb_norm: errs.append(f"{pid}: text '{text}' equals a question/similar of {kb_norm[n]}")
        if n in seen_text: errs.append(f"{pid}: duplicate text of {seen_text[n]}")
        seen_text[n] = pid
        if st == "short" and not 2 <= len(n) <= 6: errs.append(f"{pid}: short text has {len(n)} chars")
        if st == "mixed" and not re.search(r"[A-Za-z]{2,}", text): errs.append(f"{pid}: mixed text has no English word")
        if st == "long" and len(n) < 30: warns.append(f"{pid}: long text only {len(n)} chars")
    missing = sorted(idset - set(hit))
    if missing: errs.append(f"entries never expected: {missing}")
    share = nulls / len(phr) if phr else 0
    if not 0.23 <= share <= 0.27: errs.append(f"null share {share:.3f} outside 0.23-0.27")
    for st, tgt in TARGETS.items():
        tol = max(3, round(tgt * 0.15))
        if abs(styles[st] - tgt) > tol:
            errs.append(f"style {st}: {styles[st]} (target ~{tgt} +-{tol})")

    # ---- floors
    if not (isinstance(floors, dict) and set(floors) == {"top1", "correctUnanswered"}
            and all(isinstance(v, (int, float)) for v in floors.values())):
        errs.append(f"floors.json has wrong shape: {floors}")

    stats = {"entries": len(entries), "topics": len(topics), "phrasings": len(phr),
             "nulls": nulls, "null_share": round(share, 3), "styles": dict(styles),
             "min_hits_per_entry": min(hit.values()) if hit else 0}
    return errs, warns, stats


def main():
    folders = sys.argv[1:] or sorted(os.path.join(HERE, d) for d in os.listdir(HERE)
                                     if d.startswith("heldout-") and os.path.isdir(os.path.join(HERE, d)))
    ok = True
    for f in folders:
        errs, warns, stats = check_folder(f)
        print(f"== {os.path.basename(f.rstrip('/'))}: {'PASS' if not errs else 'FAIL'}")
        if stats:
            print(f"   entries={stats['entries']} topics={stats['topics']} phrasings={stats['phrasings']} "
                  f"nulls={stats['nulls']} ({stats['null_share']:.1%}) min_hits_per_entry={stats['min_hits_per_entry']}")
            print("   styles: " + ", ".join(f"{s}={stats['styles'].get(s, 0)}" for s in TARGETS))
        for w in warns: print("   warn:", w)
        for e in errs: print("   ERROR:", e)
        ok = ok and not errs
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
