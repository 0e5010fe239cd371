"""Writes the tuning set's JSON files from entries.py and phrasings.py (run: python3 build.py)."""
import json
from entries import E
from phrasings import P
ids = {e[0] for e in E}
entries = [{"id": i, "category": c, "question": q, "similarQuestions": s, "answer": a, "enabled": True} for i, c, q, s, a in E]
cases = []
for n, (expected, style, text) in enumerate(P, 1):
    assert expected is None or expected in ids, expected
    cases.append({"id": f"t{n:03d}", "text": text, "expectedEntryID": expected, "style": style})
json.dump(entries, open("knowledge-entries.json", "w"), ensure_ascii=False, indent=2)
json.dump(cases, open("visitor-phrasings.json", "w"), ensure_ascii=False, indent=2)
print(len(entries), "entries,", len(cases), "phrasings,", sum(c["expectedEntryID"] is None for c in cases), "without an answer")
